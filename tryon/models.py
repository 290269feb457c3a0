# The try-on engineer fills this app (analyses, renders, outfits).

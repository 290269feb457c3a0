"""Every tuned number of the heuristic parser (its version carries their digest)."""

from __future__ import annotations

from dataclasses import dataclass

Lab = tuple[float, float, float]


@dataclass(frozen=True)
class ParsingTuning:
    """Every number of the heuristic parser.

    Lengths are in body widths (the shoulder joints apart at work size, at least
    ``body_min_share`` of the person's height) unless said otherwise; px are work-size pixels.
    Colours are in OpenCV's 8-bit Lab (L 0..255, a and b offset by 128); costs are colour
    distances in a colour model's spreads."""

    # ---- work size and the pose
    work_height: int = 320  # px: taller photos are parsed at this height, the labels scaled back
    mask_level: int = 128  # person-mask value (0..255) from which a pixel is the person
    geometry_visibility: float = 0.05  # BlazePose visibility from which a landmark guides the geometry
    body_min_share: float = 0.12  # the body width at least this share of the person's height ...
    body_share_no_shoulders: float = 0.2  # ... and this share of it when a shoulder is not found
    torso_length: float = 1.6  # hips not found: this many shoulder spans below the shoulders
    thigh_length: float = 1.2  # a knee out of the frame lies this far below its hip
    shin_length: float = 1.0  # an ankle out of the frame: the shin goes on this many thigh lengths
    hand_reach: float = 0.35  # an arm goes on past the wrist by this share of the forearm
    # with the pose's knuckles seen, the arm also runs from the wrist to its fingertips: this many
    # times the way from the wrist to the knuckles (the index's and the little finger's, averaged)
    finger_reach: float = 2.0
    finger_visibility: float = 0.5  # ... when the wrist and both knuckles are this visible
    foot_reach: float = 0.2  # a leg goes on past the ankle by this share of the shin
    # ---- colour models (k-means in Lab)
    kmeans_seed: int = 11  # OpenCV's random seed before each k-means: a photo always gets the same labels
    kmeans_iterations: int = 10  # k-means stops after this many iterations ...
    kmeans_epsilon: float = 1.0  # ... or when its centres move less than this (Lab units)
    kmeans_attempts: int = 2  # k-means runs this many times, the most compact result kept
    min_model_samples: int = 12  # px: fewer samples learn no colour model
    samples_per_cluster: int = 20  # px: a model has at most one cluster per this many samples
    min_cluster_share: float = 0.08  # clusters with a smaller share of the samples are dropped
    skin_floor: Lab = (35.0, 5.0, 6.0)  # lower bounds of the skin model's spread (Lab units)
    garment_floor: Lab = (24.0, 5.0, 5.0)  # ... of a garment model's
    hair_floor: Lab = (20.0, 4.0, 4.0)  # ... of the hair model's
    # generic skin (light and dark, Lab) and its spread when no face is visible
    skin_prior_centres: tuple[Lab, ...] = ((170.0, 145.0, 150.0), (120.0, 148.0, 152.0))
    skin_prior_spread: Lab = (45.0, 6.0, 8.0)
    face_nose_weight: float = (
        0.5  # the face disc's centre: this share of the way from the face points to the nose
    )
    face_radius: float = 0.16  # skin is learnt from a face disc this wide (radius) ...
    face_min_radius: float = 2.0  # ... and at least this wide (px)
    skin_percentiles: tuple[float, float] = (25.0, 90.0)  # face pixels between these lightness percentiles
    skin_clip_min_samples: int = 8  # px: fewer face pixels are all kept (no percentile clip)
    skin_clusters: int = 1  # colour clusters of the skin model
    top_clusters: int = 3  # ... of the top garment's
    hair_clusters: int = 2  # ... of the hair's
    bottom_clusters: int = 2  # ... of a bottom garment found on the thighs and shins
    split_clusters: int = 3  # ... of the top and the bottom garment on either side of a waistline
    trouser_clusters: int = 2  # ... of the trousers just above an ankle
    core_inset: float = 0.12  # the top is learnt from the torso shrunk by this ...
    neckline_depth: float = 0.3  # ... below this share of the way from shoulders to hips ...
    core_arm_clearance: float = 0.3  # ... at least this far from a seen arm (hands in front of the body)
    skin_like_cluster: float = 1.5  # cost: top clusters this close to skin are dropped (when others stay)
    # ... and those this close that fill whole rows of the torso core (this share of a row) with most
    # (this share) of their pixels: bare skin in a band across it, a crop top's midriff
    bare_band_cluster: float = 2.0
    bare_band_fill: float = 0.6
    bare_band_share: float = 0.7
    bare_band_open: int = 3  # px: her top pixels nearer that band than the top are skin in pieces this wide
    hair_above_head: float = 0.15  # hair is learnt this far above the head's centre and higher ...
    hair_sample_radius: float = 0.6  # ... within this distance of it ...
    hair_unlike_skin: float = 3.0  # ... from pixels at least this far from skin (skin-model cost)
    # ---- where each class may be, and what it costs elsewhere
    near_head: float = 1.1  # hair and head pixels lie within this of the head's centre
    above_neck: float = 0.05  # the head region starts this far above the neck ...
    head_half_width: float = 0.5  # ... and reaches this far either side of the head's centre
    arm_zone: float = 0.35  # skin is expected within this of a seen arm ...
    leg_zone: float = 0.3  # ... of a seen leg ...
    neck_zone: float = 0.45  # ... and of the neck
    skin_off_limb_cost: float = 2.5  # cost added to skin outside those zones
    skin_on_core_cost: float = 1.5  # cost added to skin where the top was learnt
    top_on_head_cost: float = 2.5  # cost added to the top garment in the head region
    no_top_cost: float = 4.0  # the top garment's cost everywhere when it has no model
    hair_below_shoulders: float = 0.9  # no hair lower than this below the shoulders
    hair_bonus: float = 0.3  # cost taken off hair in its zone
    collar_reach: float = 0.3  # "hair" in a piece whose top is lower than this above the neck is the top's
    # collar or upper band (hair on the head reaches higher)
    # without the nose (a photo cut off above it) the chin is the lowest face-labelled row this near
    # the head's centre line
    chin_search: float = 0.25
    chin_below_nose: float = 0.3  # below this far under the nose, hair must hang: a column of it ...
    hair_hang: float = 0.6  # ... at least this tall (a collar or a shoulder band is flatter) ...
    hair_gap: float = 0.05  # ... bridging gaps up to this tall and drifting up to this sideways (a
    # curl's tip)
    skin_max_cost: float = 3.5  # skin claims a pixel up to this cost ...
    hair_max_cost: float = 3.5  # ... hair up to this
    hand_at_face: float = 0.08  # skin in the head region this near a seen forearm or hand is arms
    head_top_cost: float = 2.0  # above the neck, what is not skin is hair unless the top costs at most this
    arm_reach: float = 0.5  # skin within this of an arm (and nearer it than a leg) is arms ...
    arm_own: float = 0.2  # ... but on the chest only within this (the arm itself, held in front of the
    # body): a bare chest or neckline there is no arm ...
    chest_depth: float = 0.45  # ... the chest: down to this share of the way from shoulders to hips
    # (lower, hands held in front of the body are farther from the arm bones than that)
    # ---- the waistline
    waist_band_arm_clearance: float = 0.25  # the waistline is read at least this far from a seen arm ...
    band_half_width: float = 0.3  # ... in a band this wide either side of the torso's axis
    waist_search_from: float = 0.55  # searched from this share of the way shoulders -> hips ...
    waist_search_below: float = 0.6  # ... to this far below the hips
    waist_window: float = 0.22  # garment rows this tall are compared above and below a row ...
    waist_min_window_px: int = 3  # ... at least this many (px)
    waist_pixel_step: int = 2  # every this-many-th pixel of a row is read ...
    waist_row_step: int = 2  # ... and every this-many-th candidate row
    waist_rows_divisor: int = 2  # at least 1/this of a window's rows must show the garment ...
    waist_min_pixels: int = 6  # ... and at least this many of its pixels
    waist_scale: Lab = (14.0, 6.0, 6.0)  # the least per-channel spread a colour change is measured in
    waist_texture_scale: float = 10.0  # lightness spread change (L units) that counts one ...
    waist_texture_weight: float = 0.25  # ... and its weight beside the colour change
    waist_min_change: float = 2.0  # the least change at a waistline ...
    waist_min_change_one_piece: float = 3.5  # ... when the garment spans both legs in one piece
    waist_margin: float = 0.06  # the garments are learnt this far above and below the waistline ...
    split_bottom_depth: float = 1.5  # ... the bottom down to this far below it
    bottom_bias: float = 1.5  # cost added to the top garment below the waistline ...
    forearm_sleeve: float = 0.1  # ... but not this near a sleeved forearm (a sleeve beside the hips): ...
    sleeve_line: float = 0.02  # ... one with the garment on a share of the pixels within this of its line ...
    sleeve_line_share: float = 0.6  # ... (elbow to wrist) of at least this
    open_size: int = 3  # px: a bottom garment's mask is opened with a square this wide
    islands_above_ankles: float = 0.1  # top-coloured islands in a bottom end this far above the ankles
    min_bottom_share: float = 0.02  # a bottom garment smaller than this share of the garment is none
    # ---- a bottom garment without a waistline
    leg_probe_width: float = 0.2  # thighs and shins are sampled along lines this thick ...
    leg_probe_min_px: int = 2  # ... at least this many px
    thigh_probe_from: float = 0.3  # ... the thigh from this share of the way hip -> knee
    bottom_min_samples: int = 20  # px: a thigh or shin with fewer garment pixels is skipped
    bottom_far: float = 2.2  # cost: a bottom garment is this far from the top ...
    bottom_far_share: float = 0.35  # ... on at least this share of a thigh's or shin's pixels
    bottom_above_hips: float = 0.1  # a bottom garment starts at most this far above the hips
    bottom_max_cost: float = 4.0  # the bottom garment claims pixels up to this cost
    bottom_start_percentile: float = 10.0  # a bottom garment's top: this percentile of its rows ...
    bottom_end_percentile: float = 90.0  # ... its hem: this one
    long_top_hem: float = 0.5  # trousers starting this far below the hips are under a long top
    same_colour_waist: float = -0.1  # same-colour trousers start this far below the hip joints' line
    same_colour_min_share: float = 0.05  # ... when that is at least this share of the garment
    # ---- pants or skirt
    waist_rows_above: float = 0.2  # the waist: rows from this far above the hips ...
    waist_rows_below: float = 0.5  # ... to this far below them
    at_waist_share: float = 0.3  # a bottom reaches the waist with this share of the garment there
    ankle_probe: float = 0.3  # the hems are looked for this far above the higher ankle ...
    ankle_span_extra: float = 0.6  # ... over the ankles' distance plus this ...
    narrow_hem: float = 1.5  # ... and narrower than this many times that is trouser hems
    hem_above_ankles: float = 0.4  # a hem at least this far above the ankles is visible
    thigh_probe_span: tuple[float, float] = (0.2, 1.0)  # rows across the thighs, hip -> knee ...
    shin_probe_span: tuple[float, float] = (0.0, 0.8)  # ... and across the shins, knee -> ankle ...
    probe_rows: int = 5  # ... this many on each
    leg_min_apart_px: int = 2  # legs nearer than this (px) in a row cast no vote
    leg_edge_parts: int = 4  # the garment must reach both outer 1/this of a row to vote ...
    leg_middle_parts: int = 3  # ... whose middle (1/this to 1 - 1/this of it) ...
    gap_share: float = 0.5  # ... covered less than this share leaves a gap (all of it spans the legs)
    # ... when the garment covers each leg this far either side of its line (body widths) to this share
    leg_cover_half: float = 0.06
    leg_cover_share: float = 0.7
    same_colour_gap_votes: int = 2  # rows with a gap that make same-colour trousers
    # ---- boots and shoes ("shins": in lengths of that leg's shin, knee to ankle)
    boot_gap: float = 0.08  # a bottom starting this far below bare legs is boots or socks ...
    boot_gap_min_px: int = 2  # ... at least this many px
    boot_bare_share: float = 0.5  # ... when more than this share above it is legs ...
    boot_unlike_share: float = 0.5  # ... and more than this share of those are unlike the garment ...
    boot_unlike_cost: float = 3.0  # ... by at least this cost
    shoe_radius: float = 0.35  # shins: a shoe lies within this of its ankle ...
    shoe_top: float = 0.12  # shins: ... and below this far above the ankle ...
    shoe_depth: float = 0.6  # shins: ... or straight below the ankle (that radius either side) down to
    # this far below it: the sole and toes of a shoe seen from the front lie lower than the circle reaches
    ankle_ring_half_width: float = 0.2  # shins: the ankle above the shoe: this wide either side ...
    ankle_ring_top: float = 0.3  # shins: ... from this far above the ankle down to the shoe
    bare_ankle_share: float = 0.5  # an ankle more than this share legs is bare ...
    shoe_below_bare_ankle: float = 0.05  # shins: ... and garment from this far above it down is the shoe
    shoe_unlike_top: float = 3.0  # cost: a shoe is at least this far from the top garment
    shin_band_half_width: float = 0.3  # shins: the trousers' hem is learnt this wide either side ...
    shin_band_top: float = 0.5  # shins: ... from this far above the ankle ...
    shin_band_bottom: float = 0.15  # shins: ... to this far above it
    shoe_unlike_trousers: float = 3.0  # cost: below the ankle, this far from the trousers is the shoe
    trouser_hem_share: float = 0.5  # an ankle zone more than this share trousers has no shoe
    hem_width: float = 0.5  # a dress's or skirt's hem is a run this wide; feet under it are narrower ...
    hem_gap: float = 0.1  # ... once gaps this wide in it (specks of a print) are closed
    shoe_hem_clusters: int = 3  # a foot below the hem is told from the hem above it in this many colours ...
    shoe_unlike_share: float = 0.3  # ... by this share of its pixels unlike the hem (``shoe_unlike_top``)
    shoe_under_garment_share: float = (
        0.5  # ... unless less than this share of what lies on top of it is garment
    )
    shin_reach: float = 0.25  # a dress below its hem this near a leg's bones ...
    shin_width: float = 0.4  # ... at most this wide, hanging from the dress and standing on a bare leg
    shin_share: float = 0.5  # (this share of what lies on top of it and under it) is legs
    shoe_under_bare_share: float = (
        0.5  # "trousers" below bare legs with this share of bare skin on top: a shoe
    )
    # ---- a limb's own skin (lit unlike the face: a bare thigh or forearm lost to a print's pale cluster)
    limb_skin_zone: float = 0.3  # skin is re-learnt within this of a limb's bones ...
    limb_skin_min_px: int = 30  # ... from at least this many of its pixels already labelled that limb ...
    limb_skin_clusters: int = 2  # ... in this many colour clusters
    limb_skin_max_cost: float = 2.0  # top-garment pixels there at most this far from that skin ...
    limb_skin_margin: float = 0.5  # ... and this much nearer to it than to the top ...
    limb_skin_open: float = 0.12  # ... in pieces that survive an opening this wide (a stripe does not) ...
    # ... and touch the limb's own skin are the limb
    feet_above_ankle: float = 0.05  # from this far above the higher ankle down, the feet ...
    feet_open: float = 0.04  # ... are kept in pieces that survive a smaller opening
    torso_skin_grow: float = 0.1  # the torso (grown by this) ...
    torso_skin_max_cost: float = 1.5  # ... shows skin where the top garment is this near the arms' skin ...
    torso_skin_unlike_top: float = 2.5  # ... and at least this far from every colour of the top ...
    torso_skin_open: float = (
        0.04  # ... in pieces that survive an opening this wide (a midriff is a narrow band)
    )
    # ---- a garment the colour of skin on the legs (gold, camel, sand trousers)
    skin_hue_min_chroma: float = 6.0  # Lab a/b units: greyer pixels have no hue to compare
    skin_hue_min_px: int = 30  # px: the legs, the face or the arms need this many colourful pixels ...
    skin_hue_gap: float = 12.0  # degrees: legs this much yellower than face and arms are a garment ...
    skin_hue_sample_gap: float = 6.0  # degrees: ... learnt from its pixels this much yellower
    # ---- legs the colour of the bottom garment (lit folds of sand trousers on darker skin)
    bottom_skin_rim: float = 0.7  # a patch of legs with this share of its rim one bottom garment ...
    bottom_skin_margin: float = 0.5  # ... and its colours not this much nearer her skin is the garment
    # ---- arms found again by a graph cut along each arm (``arms``)
    arm_cut_width: float = 0.18  # garment pixels this near an arm's bones may be its skin ...
    arm_cut_context: float = 2.0  # ... its colours are learnt this many times as far around the bones ...
    arm_cut_min_px: int = 30  # ... when the arm has this many px of skin and the garment as many
    arm_cut_clusters: int = 3  # the cut starts from the nearer of this many skin clusters ...
    arm_cut_garment_clusters: int = 4  # ... or of this many garment clusters (of the garment off the arm)
    arm_cut_samples: int = 1500  # ... each learnt from about this many of their pixels (every n-th)
    arm_cut_lightness: float = 0.5  # Lab lightness counts this much in those distances (shade)
    arm_cut_margin: float = 8.0  # Lab units: the cut joins only pixels this much nearer the skin
    arm_cut_iterations: int = 1  # GrabCut's rounds ...
    arm_cut_box: float = 1.0  # ... on a box around what it may take, grown by this many arm widths
    # ---- straps thinner than a work-size pixel, at the photo's resolution (``straps``)
    strap_grid: int = 4  # the top's and her skin's colours are learnt on every this-many-th pixel ...
    strap_min_samples: int = 30  # ... from at least this many of each there
    strap_reach: float = 0.6  # shoulder spans: skin this near a shoulder may be a strap ...
    strap_margin: float = 1.0  # ... where it is this much nearer the top's colours than her skin's ...
    strap_unlike_skin: float = 2.5  # ... and this far from her skin (not a pale outline beside a white top)
    strap_edge: float = 0.006  # ... its pieces joined and its soft edges taken within this ...
    strap_gap: float = 0.03  # ... in a piece reaching within this (shoulder spans) of the top and of
    # the background (a strap goes over the shoulder; a necklace does not), not touching the hair ...
    strap_outline_share: float = 0.5  # ... and with at most this share of it that near the background
    # ---- clean-up
    speck_area: float = 0.05  # body widths squared: skin patches up to this area ...
    speck_surrounded: float = 0.8  # ... with at least this share of their rim in garments join them
    speck_hand_reach: float = 0.1  # ... unless centred this near a hand (wrist to fingertips)
    # hair has no islands inside a face: a "hair" patch with at least this share of its rim face ...
    face_feature_rim: float = 0.9
    # ... and at most this share of the face's area is an eye, a brow, lips or a nostril (hair on top
    # of a head whose hairline the parser took for face is far larger)
    face_feature_area: float = 0.05
    hem_reach: float = 0.25  # legs with the same garment within this above and below ...
    hem_min_px: int = 2  # ... at least this many px ...
    hem_enclosed: float = 0.8  # ... on this share of a patch make all of it that garment
    smooth_size: float = 0.06  # the majority filter's window ...
    smooth_min_px: int = 3  # ... at least this many px


TUNING = ParsingTuning()

"""Try-on's part in the per-shopper page cache (``shop.pagecache``).

While a shopper's photo is analysed or cards are rendered, their pages change by themselves
(the progress bar, the cards), so they are not stored: :func:`work_in_progress` says so. Such
work only starts on an event that already drops the shopper's entries (a photo, the catalogue),
and a page is stored again once it is final.
"""

from tryon.models import AnalysisStatus, ReferencePhotoAnalysis, Render, RenderStatus

IN_PROGRESS_RENDERS = (RenderStatus.QUEUED, RenderStatus.RUNNING)
IN_PROGRESS_ANALYSES = (AnalysisStatus.PENDING, AnalysisStatus.RUNNING)


def work_in_progress(user) -> bool:
    return (
        Render.objects.filter(owner_id=user.pk, status__in=IN_PROGRESS_RENDERS).exists()
        or ReferencePhotoAnalysis.objects.filter(owner_id=user.pk, status__in=IN_PROGRESS_ANALYSES).exists()
    )

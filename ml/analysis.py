"""Photo analysis: pose, person mask, parsing, canvas and checks for one photo.

``get_analyzer()`` returns the process-wide :class:`PhotoAnalyzer` (pose model and parser are
loaded once); ``analyzer.predict(image)`` returns a :class:`ml.types.PhotoAnalysis` in the
photo's own pixels or raises :class:`ml.errors.NoPersonFound` / :class:`ml.errors.InvalidImage`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ml._process_cache import once
from ml.canvas import fit_canvas
from ml.checks import body_coverage, estimate_view, photo_findings
from ml.errors import InvalidImage, NoPersonFound
from ml.intake import load_image, require_rgb_image
from ml.parsing import Parser, get_parser
from ml.pose import PoseEstimator, PoseResult, blaze_to_coco, get_pose_estimator
from ml.types import PhotoAnalysis

# Bump when pose conversion, checks, canvas fitting or the default parser change their outputs.
ANALYZER_VERSION = "perception-2"
MIN_SIDE = 32
IN_FRAME_VISIBILITY = 0.05
# PhotoAnalysis.extras key: (18,) uint8, 1 where the joint lies inside the photo (seen or covered).
IN_FRAME_EXTRA = "perception.in_frame"


class PhotoAnalyzer:
    def __init__(self, pose: PoseEstimator | None = None, parser: Parser | None = None) -> None:
        self.pose = pose or get_pose_estimator()
        self.parser = parser or get_parser()

    @property
    def version(self) -> str:
        return f"{ANALYZER_VERSION}+{self.parser.version}"

    def load(self) -> None:
        """Load the models now (workers call this at start so the first photo is not slow)."""
        self.pose.load()
        loader = getattr(self.parser, "load", None)
        if loader is not None:
            loader()

    def predict_pose(self, image: np.ndarray) -> PoseResult:
        _check_array(image)
        return self.pose.predict(image)

    def predict(self, image: np.ndarray) -> PhotoAnalysis:
        _check_array(image)
        pose = self.pose.predict(image)
        if not pose.found or not (pose.keypoints[:, 0] >= 0).any():
            raise NoPersonFound(
                "We could not find a person in this photo. Use a photo in which you are clearly visible."
            )
        parsing = self.parser.predict(image, pose)
        # Coverage asks what is in the frame: a knee under a long dress is covered, not cut off.
        in_frame, _ = blaze_to_coco(pose.blaze_landmarks, image.shape[1], image.shape[0], IN_FRAME_VISIBILITY)
        coverage = body_coverage(in_frame)
        view = estimate_view(pose.keypoints, pose.scores)
        findings = photo_findings(
            keypoints=in_frame,
            person_mask=pose.person_mask,
            view=view,
            coverage=coverage,
            people_count=pose.people_count,
            visible=pose.keypoints,
        )
        canvas = fit_canvas(image.shape[:2], pose.person_mask, pose.keypoints)
        return PhotoAnalysis(
            image=image,
            keypoints=pose.keypoints,
            keypoint_scores=pose.scores,
            person_mask=pose.person_mask,
            parsing=parsing,
            view=view,
            coverage=coverage,
            findings=findings,
            canvas=canvas,
            analyzer_version=self.version,
            extras={IN_FRAME_EXTRA: (in_frame[:, 0] >= 0).astype(np.uint8)},
        )


def _check_array(image: np.ndarray) -> None:
    require_rgb_image(image, "The analyser")
    if min(image.shape[:2]) < MIN_SIDE:
        raise InvalidImage(f"The image is too small to analyse (at least {MIN_SIDE} pixels on each side).")


@once
def get_analyzer() -> PhotoAnalyzer:
    return PhotoAnalyzer()


def analyze_file(source: str | Path | bytes) -> PhotoAnalysis:
    """Load (safely, see :func:`ml.intake.load_image`) and analyse one photo."""
    return get_analyzer().predict(load_image(source))

"""Typed errors raised by ``ml``. Every one carries a sentence fit to show a person."""


class MLError(Exception):
    """Base class. ``str(error)`` is a human sentence."""

    code = "ml_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidImage(MLError):
    """The bytes are not an image we can safely read (unreadable, empty, too large, a bomb)."""

    code = "invalid_image"


class NoPersonFound(MLError):
    """The photo is readable but no person could be found in it."""

    code = "no_person"


class CannotRender(MLError):
    """The photos cannot serve this request (for example trousers on an upper-body selfie)."""

    code = "cannot_render"


class RendererUnavailable(MLError):
    """A renderer cannot run in this process (for example ADGAN without a checkpoint)."""

    code = "renderer_unavailable"


class InvalidModelFile(MLError):
    """A model file given by an operator is missing, unreadable or has the wrong layout."""

    code = "invalid_model_file"


class InvalidPose(MLError):
    """A pose handed to a parser does not fit its photo (wrong shapes, or keypoints off the photo)."""

    code = "invalid_pose"

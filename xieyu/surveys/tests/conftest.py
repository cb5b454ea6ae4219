from .fixtures import class_wave, survey  # noqa: F401

"""Domain errors. Each carries a message in Chinese that pages and the API show as it is."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status_code = 400


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class TransitionNotAllowed(DomainError):
    status_code = 409


class StaleVersion(DomainError):
    status_code = 409

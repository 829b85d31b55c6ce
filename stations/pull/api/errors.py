from django.http import JsonResponse


class ApiError(Exception):
    """Raised anywhere in a view; answered as JSON with the status and a clear message."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self):
        response = JsonResponse({"error": str(self.message)}, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def bad_request(message):
    return ApiError(400, message)


def not_found(message):
    return ApiError(404, message)

from django.http import HttpRequest


def service(request: HttpRequest) -> dict:
    return {"service_name": "Waitroom"}

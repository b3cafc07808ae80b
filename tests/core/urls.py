"""Routes for the error-contract tests only: a page and an API endpoint that leave the
permission check to the service (as a new caller might), and one that reaches nothing."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound
from shops.api import ConsoleAPIMixin
from shops.services import member_add
from shops.views import console_view


@console_view()
def add_member_page(request):
    member_add(context=request.console, username="nobody", role="service")
    return HttpResponse("added")


@console_view()
def missing_page(request):
    raise NotFound()


class AddMemberAPI(ConsoleAPIMixin, APIView):
    def post(self, request):
        member_add(context=self.console, username="nobody", role="service")
        return Response({})


class MissingAPI(ConsoleAPIMixin, APIView):
    def get(self, request):
        raise NotFound()


urlpatterns = [
    path("page/add-member/", add_member_page),
    path("page/missing/", missing_page),
    path("api/add-member/", AddMemberAPI.as_view()),
    path("api/missing/", MissingAPI.as_view()),
]

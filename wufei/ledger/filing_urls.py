"""Filing pages of a producer, under its ledger: /ledger/<uscc>/filings/…"""

from django.urls import path

from wufei.ledger import filing_views

app_name = "filings"

urlpatterns = [
    path("<str:uscc>/filings/", filing_views.filings_page, name="list"),
    path("<str:uscc>/filings/plan/", filing_views.plan_page, name="plan"),
]

"""The measures pages: a coordinator's summary of her clinic's measures, one chart a page, the
series as a CSV file, and the dates the charts start again from. Coordinators of the clinic
only: peer supporters and facilitators do not watch the measures, and another clinic's
coordinator gets a 404 (waitroom.access.clinic_view)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waitroom.access import COORDINATORS, clinic_view
from waitroom.audit import audit_record
from waitroom.csv_export import csv_response
from waitroom.models import AuditEvent, Clinic

from . import selectors, services
from .charts import render_chart_svg
from .forms import MeasuresViewForm, RebaseForm
from .presenters import CSV_HEADER, chart_summary, csv_rows, data_rows, view_query


def _view_form(request: HttpRequest, clinic: Clinic) -> MeasuresViewForm:
    return MeasuresViewForm(request.GET or None, cohorts=selectors.clinic_cohorts(clinic))


@clinic_view(COORDINATORS)
def measures(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = _view_form(request, clinic)
    cohort, period = form.view()
    rows = selectors.measures_summary(clinic, cohort=cohort, period=period)
    return render(
        request,
        "measures/measures.html",
        {
            "clinic": clinic,
            "form": form,
            "cohort": cohort,
            "period": period,
            "rows": rows,
            "any_value": any(row.latest for row in rows),
            "query": view_query(cohort, period),
        },
    )


@clinic_view(COORDINATORS)
def measure_chart(request: HttpRequest, clinic: Clinic, measure_slug: str) -> HttpResponse:
    form = _view_form(request, clinic)
    cohort, period = form.view()
    series = selectors.measure_for_page(clinic, measure_slug, cohort=cohort, period=period)
    svg = (
        render_chart_svg(series.chart, title=series.measure.title, unit=series.measure.unit)
        if series.chart
        else ""
    )
    return render(
        request,
        "measures/measure_chart.html",
        {
            "clinic": clinic,
            "form": form,
            "cohort": cohort,
            "period": period,
            "series": series,
            "svg": svg,
            "summary": chart_summary(series),
            "table": data_rows(series),
            "query": view_query(cohort, period),
        },
    )


@clinic_view(COORDINATORS)
def measure_csv(request: HttpRequest, clinic: Clinic, measure_slug: str) -> HttpResponse:
    form = _view_form(request, clinic)
    cohort, period = form.view()
    series = selectors.measure_for_page(clinic, measure_slug, cohort=cohort, period=period)
    audit_record(
        request,
        AuditEvent.Action.EXPORT,
        None,
        clinic=clinic,
        object_type="measures.series",
        object_id=measure_slug,
    )
    group = f"-group-{cohort.pk}" if cohort else ""
    return csv_response(
        filename=f"{clinic.slug}-{measure_slug}-by-{period}{group}.csv",
        header=CSV_HEADER,
        rows=csv_rows(series),
    )


@clinic_view(COORDINATORS)
def measure_rebases(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = RebaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rebase_add(clinic=clinic, by=request.user, **form.cleaned_data)
        except services.MeasuresError as refusal:
            form.add_error("starts_on", str(refusal))
        else:
            messages.success(request, "Saved. The charts start again from that date.")
            return redirect("measure_rebases", clinic_slug=clinic.slug)
    return render(
        request,
        "measures/rebases.html",
        {"clinic": clinic, "form": form, "rebases": selectors.rebases_listed(clinic)},
        status=400 if form.errors else 200,
    )


@require_POST
@clinic_view(COORDINATORS)
def measure_rebase_remove(request: HttpRequest, clinic: Clinic, rebase_id: int) -> HttpResponse:
    rebase = selectors.rebase_for_clinic(clinic, rebase_id)
    services.rebase_remove(rebase=rebase, by=request.user)
    messages.success(request, "Removed. The charts no longer start again from that date.")
    return redirect("measure_rebases", clinic_slug=clinic.slug)

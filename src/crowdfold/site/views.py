"""The site around the projects: home, categories, search and the information pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, render

from crowdfold.projects.models import Category, Project
from crowdfold.site.search import search_projects

PAGE_SIZE = 20


def _published():
    return Project.objects.filter(published=True).select_related("category")


def home(request):
    published = _published()
    context = {
        "featured": published.filter(featured=True).order_by("id")[:6],
        "categories": Category.objects.annotate(
            n_projects=Count("projects", filter=Q(projects__published=True))
        ).filter(n_projects__gt=0),
        "newest": published.order_by("-created", "-id")[:6],
        "most_active": published.annotate(last_answer=Max("task_runs__finish_time"))
        .filter(last_answer__isnull=False)
        .order_by("-last_answer")[:6],
    }
    return render(request, "site/home.html", context)


def category(request, short_name: str, page: int = 1):
    if short_name == "featured":
        current, projects = None, _published().filter(featured=True)
    else:
        current = get_object_or_404(Category, short_name=short_name)
        projects = _published().filter(category=current)
    context = {
        "category": current,
        "categories": Category.objects.all(),
        "page": Paginator(projects.order_by("id"), PAGE_SIZE).get_page(page),
    }
    return render(request, "site/category.html", context)


def search(request):
    query = request.GET.get("q", "")[:200]
    results = search_projects(query, _published()) if query.strip() else None
    page = (
        Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        if results is not None
        else None
    )
    return render(request, "site/search.html", {"query": query, "page": page})


def page(template: str):
    """A plain information page; operators override the template in their theme."""

    def view(request):
        return render(request, template)

    view.__name__ = template.replace("/", "_").replace(".html", "")
    return view

"""The site around the projects: home, categories, search and the information pages.

Project lists are cached for ``APP_TIMEOUT``, the per-category counts for
``N_APPS_PER_CATEGORY_TIMEOUT`` and the category list for ``CATEGORY_TIMEOUT`` (PYBOSSA's names);
saving a project or a category invalidates them (crowdfold.ops.cache)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, render

from crowdfold.ops.cache import FrozenPage, remember
from crowdfold.projects.models import Category, Project
from crowdfold.site.search import search_projects

PAGE_SIZE = 20


def _published():
    return Project.objects.filter(published=True).select_related("category")


def _home_lists() -> dict:
    published = _published()
    return {
        "featured": list(published.filter(featured=True).order_by("id")[:6]),
        "newest": list(published.order_by("-created", "-id")[:6]),
        "most_active": list(
            published.annotate(last_answer=Max("task_runs__finish_time"))
            .filter(last_answer__isnull=False)
            .order_by("-last_answer")[:6]
        ),
    }


def _categories_with_projects() -> list:
    return list(
        Category.objects.annotate(
            n_projects=Count("projects", filter=Q(projects__published=True))
        ).filter(n_projects__gt=0)
    )


def home(request):
    context = dict(remember("site:home", "APP_TIMEOUT", _home_lists, scopes=("projects",)))
    context["categories"] = remember(
        "site:home-categories",
        "N_APPS_PER_CATEGORY_TIMEOUT",
        _categories_with_projects,
        scopes=("projects", "categories"),
    )
    return render(request, "site/home.html", context)


def _category_page(short_name: str, page) -> tuple[Category | None, FrozenPage]:
    if short_name == "featured":
        current, projects = None, _published().filter(featured=True)
    else:
        current = get_object_or_404(Category, short_name=short_name)
        projects = _published().filter(category=current)
    return current, FrozenPage(Paginator(projects.order_by("id"), PAGE_SIZE).get_page(page))


def category(request, short_name: str, page: int = 1):
    current, projects = remember(
        f"site:category:{short_name}:{page}",
        "APP_TIMEOUT",
        lambda: _category_page(short_name, page),
        scopes=("projects", "categories"),
    )
    categories = remember(
        "site:categories",
        "CATEGORY_TIMEOUT",
        lambda: list(Category.objects.all()),
        scopes=("categories",),
    )
    return render(
        request,
        "site/category.html",
        {"category": current, "categories": categories, "page": projects},
    )


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

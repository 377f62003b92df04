from wagtail import hooks


@hooks.register("on_serve_page")
def mark_page_as_cacheable(next_serve_page):
    """Wagtail only reaches this point once the page's view restrictions have let us in."""

    def serve(page, request, args, kwargs):
        response = next_serve_page(page, request, args, kwargs)
        request._crdla_page_cacheable = True
        return response

    return serve

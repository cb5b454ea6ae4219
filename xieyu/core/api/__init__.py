"""What every domain's API router shares: the one error shape, pagination, the checks on request text.

The NinjaAPI that mounts the routers lives in xieyu/api (the top layer); the domains import from here, never from
there.
"""

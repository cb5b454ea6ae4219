"""{% panel p %}: render one committee-page panel (committees/panels.py) in the page's own context, with the panel's
context on top — both as plain names and as `ctx` — so each subdomain writes its panel template in its own way."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context, p):
    tpl = context.template.engine.get_template(p.template)
    with context.push(ctx=p.context, **p.context):
        return tpl.render(context)

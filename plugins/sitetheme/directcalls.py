"""Template calls of the theme's helper functions, compiled as direct calls.

Jinja compiles every call in a template to `context.call(fn, ...)`, which
inspects the callable on each call and, inside a block or loop that sets a
variable, builds a new derived context for any `pass_context` function.
The theme calls its helpers (`_`, `href`, `when`, `cached_card`, ...) about
75 times per page: at 5,000 reports that machinery cost more than the
helpers themselves (~4.6 us per call, ~2 s of one core per full build).

Filters are called directly, with the page's context. So this code
generator rewrites `helper(a, b=c)` into a call of the filter
`helper()` registered for it, with the same arguments. A helper then sees
the page's context, not the derived one: the helpers read site-wide values
(LANG, SITEURL, MESSAGES, ...), never a variable set in a loop or block.

A template that assigns the helper's name itself (`{% set href = ... %}`,
a macro argument, an import alias) keeps Jinja's ordinary call for that
name."""
from __future__ import annotations

from jinja2 import Environment, nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Context
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

SUFFIX = "()"


def filter_name(name: str) -> str:
    return name + SUFFIX


def _as_filter(fn):
    """The filter that stands for `fn`: it takes the page's context (which it
    passes on only to a `pass_context` function) and a placeholder value."""
    if _PassArg.from_obj(fn) is _PassArg.context:
        def call(ctx: Context, _value, *args, **kwargs):
            return fn(ctx, *args, **kwargs)
    else:
        # Also marked pass_context: Jinja would otherwise evaluate a call
        # with constant arguments once, at compile time.
        def call(ctx: Context, _value, *args, **kwargs):
            return fn(*args, **kwargs)
    call.__qualname__ = f"direct {getattr(fn, '__qualname__', fn)}"
    return pass_context(call)


def _assigned_names(template: nodes.Template) -> set[str]:
    names = {n.name for n in template.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names.update(i.target for i in template.find_all(nodes.Import))
    for imp in template.find_all(nodes.FromImport):
        names.update(n if isinstance(n, str) else n[-1] for n in imp.names)
    return names


class _Rewrite(NodeTransformer):
    def __init__(self, names: set[str]):
        self.names = names

    def visit_Call(self, node: nodes.Call):
        self.generic_visit(node)
        fn = node.node
        if isinstance(fn, nodes.Name) and fn.ctx == "load" and fn.name in self.names:
            return nodes.Filter(nodes.Const(None), filter_name(fn.name), node.args, node.kwargs,
                                node.dyn_args, node.dyn_kwargs, lineno=node.lineno)
        return node

    def visit_CallBlock(self, node: nodes.CallBlock):
        # `{% call helper(...) %}` needs Jinja's call (it passes `caller`):
        # only its arguments are rewritten.
        call = node.call
        for field in ("args", "kwargs"):
            setattr(call, field, [self.visit(x) for x in getattr(call, field)])
        for field in ("dyn_args", "dyn_kwargs"):
            if getattr(call, field) is not None:
                setattr(call, field, self.visit(getattr(call, field)))
        node.body = [self.visit(x) for x in node.body]
        return node


class DirectCallGenerator(CodeGenerator):
    # Part of the compiled-template cache key (see bytecode.compile_key):
    # change it when the rewrite changes.
    VERSION = "1"

    def visit_Template(self, node: nodes.Template, frame=None) -> None:
        env = self.environment
        helpers = {name for name, fn in env.globals.items()
                   if env.filters.get(filter_name(name)) is not None
                   and getattr(env.filters[filter_name(name)], "direct_for", None) is fn}
        helpers -= _assigned_names(node)
        if helpers:
            _Rewrite(helpers).visit(node)
        super().visit_Template(node, frame)


def install(env: Environment, helpers: dict) -> None:
    """Make `helpers` template globals, compiled as direct calls."""
    env.globals.update(helpers)
    for name, fn in helpers.items():
        wrapper = _as_filter(fn)
        wrapper.direct_for = fn
        env.filters[filter_name(name)] = wrapper
    env.code_generator_class = DirectCallGenerator

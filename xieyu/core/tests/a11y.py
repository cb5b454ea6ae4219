"""Accessibility checks run inside a real page: axe-core (from npm, served from disk) and the care-mode audit.

The care-mode audit (关怀版, after the MIIT 适老化 guidance) measures what a grandparent sees at 360 px:

- every element with a visible text node, every form control's text and every placeholder: font size ≥ 18 px and
  ≥ 1.25 × the same element's size in the standard view (measured with the care-mode class taken off), line height ≥ 1.3 × the font size (``normal`` fails), contrast ≥ 7:1 against the effective background (the
  backgrounds of the element and its ancestors composited, down to the page's white);
- every target (links, buttons, inputs, selects, textareas, summaries, labels of controls) ≥ 48 × 48 px; a checkbox
  or radio is measured by its label, which is where a finger lands and what toggles it;
- main controls (every button in ``<main>``, every ``.btn``, submit inputs) ≥ 60 px tall;
- the page never scrolls sideways (``document.documentElement.scrollWidth`` ≤ 360).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CARE = {
    "font": 18.0,
    "ratio": 1.25,
    "line_height": 1.3,
    "contrast": 7.0,
    "target": 48.0,
    "main_control": 60.0,
    "width": 360,
}


def axe_path() -> Path:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make node_modules/.installed` (npm ci) first")
    return AXE


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page, each with the nodes it found.

    axe files text whose colour equals its background (1:1, e.g. black on black) under "needs review", not under
    violations; such text cannot be read at all, so those nodes count as color-contrast violations here."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_path()))
    return page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
          const node = (n) => ({target: n.target.join(" "), html: n.html.slice(0, 120),
                                summary: (n.failureSummary || "").split("\\n").slice(1, 2).join(" ")});
          const found = r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(node)}));
          const invisible = r.incomplete.filter(v => v.id === "color-contrast").flatMap(v => v.nodes)
            .filter(n => n.any.some(a => a.data && a.data.messageKey === "equalRatio"));
          if (invisible.length) found.push({id: "color-contrast", impact: "serious",
            help: "Text has the colour of its background (1:1)", nodes: invisible.map(node)});
          return found;
        }"""
    )


# Colours, contrast, visibility, a readable name for an element.
_LIB = r"""
const parse = (c) => {
  const m = c && c.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) => {  // "source over" compositing of two rgba colours; bottom is opaque
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
};
const lum = (c) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
};
const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
const background = (el) => {
  const layers = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let bg = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  return bg;
};
const contrastOf = (el, color) => {
  const bg = background(el);
  return ratio(over(parse(color), bg), bg);
};
const shown = (el) => {
  if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
};
const ownText = (el) => [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("")
  .replace(/\s+/g, " ").trim();
const name = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  const cls = [...el.classList].slice(0, 3).join(".");
  if (cls) s += "." + cls;
  const t = (ownText(el) || el.innerText || el.value || el.placeholder || el.getAttribute("aria-label") || "")
    .replace(/\s+/g, " ").trim().slice(0, 24);
  return t ? `${s} “${t}”` : s;
};
"""

AUDIT_JS = (
    "(limits) => {"
    + _LIB
    + r"""
  const out = {font: [], ratio: [], line_height: [], contrast: [], target: [], main_control: [], width: null,
               smallest_font: null, lowest_contrast: null, smallest_target: null, lowest_line_height: null};
  const note = (key, el, value) => {
    if (out[key].length < 40) out[key].push(`${name(el)}: ${value}`);
  };
  const track = (key, value, el) => {
    if (out[key] === null || value < out[key][0]) out[key] = [Math.round(value * 100) / 100, name(el)];
  };
  const checkText = (el, style, color, what) => {
    const size = parseFloat(style.fontSize);
    track("smallest_font", size, el);
    if (size < limits.font) note("font", el, `${what}font-size ${size}px`);
    const c = contrastOf(el, color);
    track("lowest_contrast", c, el);
    if (c < limits.contrast) note("contrast", el, `${what}contrast ${c.toFixed(2)}:1 (${color} on ${background(el)})`);
  };
  // The same elements in the standard view: the care-mode class off for a moment (the modes differ only by it).
  const all = [...document.body.querySelectorAll("*")];
  document.body.classList.remove("care");
  const standard = all.map(el => parseFloat(getComputedStyle(el).fontSize));
  document.body.classList.add("care");
  all.forEach((el, i) => {
    if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName) || !shown(el)) return;
    const style = getComputedStyle(el);
    if (ownText(el)) {
      checkText(el, style, style.color, "");
      const size = parseFloat(style.fontSize);
      if (size < limits.ratio * standard[i] - 0.05) note("ratio", el, `${size}px, ${standard[i]}px in the standard view`);
      const lh = style.lineHeight === "normal" ? 1.2 * size : parseFloat(style.lineHeight);
      track("lowest_line_height", lh / size, el);
      if (style.lineHeight === "normal" || lh < limits.line_height * size - 0.01) {
        note("line_height", el, `line-height ${style.lineHeight} for font-size ${size}px`);
      }
    }
    const control = el.matches("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea");
    if (control && (el.value || el.tagName === "SELECT")) checkText(el, style, style.color, "value ");
    if (control && el.placeholder && !el.value) {
      const ph = getComputedStyle(el, "::placeholder");
      checkText(el, ph, ph.color, "placeholder ");
    }
    // Targets: what a finger can tap.
    const label = el.tagName === "LABEL" && el.control;
    const target = el.matches("a[href], button, input:not([type=hidden]), select, textarea, summary") || label;
    if (target) {
      let box = el.getBoundingClientRect();
      let how = "";
      if (el.matches("input[type=checkbox], input[type=radio]") && el.labels && el.labels.length) {
        box = [...el.labels].map(l => l.getBoundingClientRect()).sort((a, b) => b.height * b.width - a.height * a.width)[0];
        how = " (its label)";
      }
      const small = Math.min(box.width, box.height);
      track("smallest_target", small, el);
      if (box.width < limits.target - 0.5 || box.height < limits.target - 0.5) {
        note("target", el, `${Math.round(box.width)}×${Math.round(box.height)} px${how}`);
      }
      const main = el.matches("main button, main input[type=submit], .btn");
      if (main && box.height < limits.main_control - 0.5) {
        note("main_control", el, `height ${Math.round(box.height)} px`);
      }
    }
  });
  out.width = document.documentElement.scrollWidth;
  return out;
}"""
)


def audit_care(page) -> dict:
    return page.evaluate(AUDIT_JS, CARE)


def fits_phone(page, width: int = 360) -> None:
    """No horizontal scroll at a phone's width, and no serious or critical axe-core violation."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = run_axe(page)
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]

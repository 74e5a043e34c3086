"""The look of the review pages: colours, inline CSS and the little inline script.

Entity colours follow displaCy's palette (one colour per OntoNotes type); a label declared in
``labels.py`` without a colour here gets ``FALLBACK_COLOUR`` (a test checks every label has one).
Quotes take one hue per quote, so that content, speaker and cue of one quote share it; claims are
underlined, solid for CFS and dashed for UFS. Problems are drawn in ``PROBLEM_COLOUR`` (the CSS
variable ``--pc`` and the legend's swatch).
"""

from __future__ import annotations

from ..labels import CLAIM_LABELS, ENTITY_LABELS

#: displaCy's entity colours.
ENTITY_COLOURS: dict[str, str] = {
    "PERSON": "#aa9cfc",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "PRODUCT": "#bfeeb7",
    "EVENT": "#ffeb80",
    "WORK_OF_ART": "#f0d0ff",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "DATE": "#bfe1d9",
    "TIME": "#bfe1d9",
    "PERCENT": "#e4e7d2",
    "MONEY": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
    "CARDINAL": "#e4e7d2",
}
FALLBACK_COLOUR = "#dddddd"
#: Hues for quotes, cycled by quote position: the parts of one quote share one.
QUOTE_HUES = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#ff7f0e")
CLAIM_COLOURS: dict[str, str] = {"CFS": "#d62728", "UFS": "#6b6b6b"}
PROBLEM_COLOUR = "#d00000"


def entity_colour(label: str) -> str:
    return ENTITY_COLOURS.get(label, FALLBACK_COLOUR)


def claim_colour(label: str) -> str:
    return CLAIM_COLOURS.get(label, "#444444")


def _label_rules() -> str:
    rules = [f":root{{--pc:{PROBLEM_COLOUR}}}"]
    rules += [f'.ent[data-label="{label}"]{{background:{entity_colour(label)}}}' for label in ENTITY_LABELS]
    rules += [f".qc{i}{{--qc:{hue}}}" for i, hue in enumerate(QUOTE_HUES)]
    rules += [f'.clm[data-label="{label}"]{{--cc:{claim_colour(label)}}}' for label in CLAIM_LABELS]
    return "\n".join(rules)


CSS = """
*{box-sizing:border-box}
body{margin:0;color:#1d1d1f;background:#fff;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header,main{max-width:72rem;margin:0 auto;padding:0 1.5rem}
header{padding-top:1rem}
h1{font-size:1.45rem;margin:.3rem 0}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #e3e3e3;padding-bottom:.2rem}
nav a,a{color:#0b57d0}
.meta{color:#555;font-size:.9rem;margin:.2rem 0}
.ok{color:#12722e;font-weight:600}.err{color:#b00020;font-weight:600}.warn{color:#8a5a00;font-weight:600}
table{border-collapse:collapse;font-size:.9rem;margin:.4rem 0}
th,td{border-bottom:1px solid #eee;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
.legend{display:flex;flex-wrap:wrap;gap:.35rem .5rem;align-items:center;font-size:.82rem;margin:.4rem 0}
.legend .sw{display:inline-block;padding:.05rem .45rem;border-radius:.3rem;font-weight:700;font-size:.72rem}
.legend .sw small{font-weight:400;margin-left:.3rem}
.toggles{position:sticky;top:0;z-index:2;background:#fffffff0;padding:.45rem 0;border-bottom:1px solid #eee;font-size:.9rem}
.toggles label{margin-right:1.1rem;cursor:pointer;user-select:none}
.problems{background:#fff4f4;border-left:4px solid var(--pc);padding:.4rem .8rem;font-size:.85rem}
.problems li{margin:.2rem 0;word-break:break-word}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:17px;line-height:2.7;margin:1rem 0 6rem;padding:0 .2rem}
.text mark,.legend mark{background:none;color:inherit;padding:0}
.text [data-tag]::after,.text .q-content.f::before,.legend [data-tag]::after{display:inline-block;font:700 .58em/1.2 system-ui,sans-serif;vertical-align:middle;padding:.1em .35em;margin-left:.3em;border-radius:.25em;text-transform:none;white-space:nowrap}
.ent{padding:.18em .3em;border-radius:.35em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.ent.l::after{content:attr(data-tag);text-transform:uppercase;background:#ffffffa0;color:#333}
.clm{text-decoration-line:underline;text-decoration-thickness:3px;text-underline-offset:.5em;text-decoration-color:var(--cc);text-decoration-skip-ink:none}
.clm[data-label="UFS"]{text-decoration-style:dashed}
.clm.l::after{content:attr(data-tag);color:#fff;background:var(--cc)}
.q-content{background:color-mix(in srgb,var(--qc) 13%,transparent);-webkit-box-decoration-break:clone;box-decoration-break:clone}
.q-content.f::before{content:"\\275D\\00a0" attr(data-id);color:var(--qc);margin:0 .25em 0 0;border:1px solid var(--qc)}
.q-content.l::after{content:"\\275E\\00a0" attr(data-tag);color:#fff;background:var(--qc)}
.q-speaker{box-shadow:0 0 0 2px var(--qc);border-radius:.3em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.q-speaker.l::after,.q-cue.l::after{content:attr(data-tag);color:var(--qc);border:1px solid var(--qc)}
.q-cue{border-bottom:3px double var(--qc);font-style:italic}
.q.hl{box-shadow:0 0 0 3px var(--qc);background:color-mix(in srgb,var(--qc) 28%,transparent)}
.bad{outline:2px solid var(--pc);outline-offset:1px}
.text .bad.l::after{content:"\\26A0\\00a0" attr(data-tag) " " attr(data-codes);color:#fff;background:var(--pc);border-color:var(--pc)}
.prob{text-decoration:underline wavy var(--pc);text-decoration-skip-ink:none}
.prob.l::after{content:"\\26A0\\00a0" attr(data-tag);color:#fff;background:var(--pc)}
.text [tabindex]:focus{outline:2px dashed #0b57d0;outline-offset:2px}
main:has(#show-ent:not(:checked)) .text .ent{background:none;padding:0}
main:has(#show-ent:not(:checked)) .text .ent.l::after{content:none}
main:has(#show-quo:not(:checked)) .text .q{background:none;box-shadow:none;border:0;font-style:inherit}
main:has(#show-quo:not(:checked)) .text .q.l::after,main:has(#show-quo:not(:checked)) .text .q-content.f::before{content:none}
main:has(#show-clm:not(:checked)) .text .clm{text-decoration:none}
main:has(#show-clm:not(:checked)) .text .clm.l::after{content:none}
main:has(#show-prb:not(:checked)) .text .bad{outline:none}
main:has(#show-prb:not(:checked)) .text .prob{text-decoration:none}
main:has(#show-prb:not(:checked)) .text .prob.l::after{content:none}
#info{position:fixed;left:0;right:0;bottom:0;z-index:3;background:#1d1d1f;color:#f5f5f5;font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace;padding:.45rem 1.5rem;white-space:pre-line;min-height:2.2rem}
.ctx{color:#555}.ctx b{color:#000;background:#fff3b0}
"""

#: The comparison pages' own rules, after ``CSS``: columns side by side, disagreements outlined
#: (dashed: missing in another layer; dotted: a field differs) with a "≠" badge, so that colour is
#: never the only signal.
COMPARISON_CSS = """
:root{--dc:#c2185b}
body.wide header,body.wide main{max-width:none}
body.wide main{padding-bottom:4rem}
.columns{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);gap:1.4rem;align-items:start}
.col h2{margin-top:.8rem}.col h2 small{font-weight:400;color:#555}
.columns .text{font-size:15px;line-height:2.5;margin:.4rem 0 2rem}
.dis{outline:2px dashed var(--dc);outline-offset:1px}
.dis-attr{outline-style:dotted}
.dis.f::before{content:"\\2260";display:inline-block;font:700 .72em/1.3 system-ui,sans-serif;color:#fff;background:var(--dc);border-radius:.25em;padding:0 .3em;margin-right:.2em;vertical-align:middle}
.text .q-content.dis.f::before{content:"\\2260\\00a0\\275D\\00a0" attr(data-id);color:#fff;background:var(--dc);border-color:var(--dc)}
main:has(#show-ent:not(:checked)) .text .ent.dis,main:has(#show-quo:not(:checked)) .text .q.dis,main:has(#show-clm:not(:checked)) .text .clm.dis{outline:none}
main:has(#show-ent:not(:checked)) .text .ent.dis.f::before,main:has(#show-clm:not(:checked)) .text .clm.dis.f::before,main:has(#show-quo:not(:checked)) .text .q.dis.f::before{content:none}
main:has(#show-gold:not(:checked)) .col-gold{display:none}
.text mark:target{outline:3px solid #0b57d0;outline-offset:2px}
table.disagreements td,table.decisions td{max-width:40rem;word-break:break-word}
tr.missing td:last-child{font-weight:600}
details.problems{margin:.6rem 0}details.problems summary{cursor:pointer;padding:.2rem 0}
"""

#: Hover or focus a span: the panel lists it and every span around it; quote parts light up together.
SCRIPT = """
(function(){
var info=document.getElementById('info'),lit=[];
function describe(x){var d=x.dataset,s=d.layer+' '+d.id+(d.part?' '+d.part:'')+' \\u00b7 '+d.label;
if(d.entity)s+=' \\u00b7 entity_id '+d.entity;if(d.name)s+=' ('+d.name+')';
if(d.claimant)s+=' \\u00b7 claimant '+d.claimant;if(d.problems)s+='\\n  \\u26a0 '+d.problems;
if(d.diff)s+='\\n  \\u2260 '+d.diff;return s}
function show(e){var m=e.target.closest?e.target.closest('.text [data-layer]'):null;if(!m)return;
var lines=[];for(var x=m;x&&!x.classList.contains('text');x=x.parentElement){if(x.dataset.layer)lines.push(describe(x))}
info.textContent=lines.join('\\n');
lit.forEach(function(x){x.classList.remove('hl')});lit=[];
var q=m.closest('.q');if(q){lit=[].slice.call(m.closest('.text').querySelectorAll('.q[data-q="'+CSS.escape(q.dataset.q)+'"]'));
lit.forEach(function(x){x.classList.add('hl')})}}
document.addEventListener('mouseover',show);document.addEventListener('focusin',show);
})();
"""


def stylesheet() -> str:
    return CSS + _label_rules() + "\n"

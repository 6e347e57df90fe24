--[[
print-html.lua: the last filter of a chapter's conversion.

It shifts the headings by the metadata's heading-shift (a chapter's # is the
book's second level, a section's the third; done here rather than with
--shift-heading-level-by, which Pandoc applies after the filters), then writes
the chapter's print HTML in the same Pandoc run as its AST (one process a
chapter instead of two): footnotes become inline spans (print-notes.lua), then
Pandoc's HTML writer. The HTML rides in the metadata field gp-print-html, which
grantpress takes out of the AST (convert.py).
]]

local here = pandoc.path.directory(PANDOC_SCRIPT_FILE)
local print_notes = dofile(pandoc.path.join({here, "print-notes.lua"}))

function Pandoc(doc)
  local shift = tonumber(pandoc.utils.stringify(doc.meta["heading-shift"] or "0")) or 0
  doc = doc:walk({Header = function(header)
    header.level = math.min(header.level + shift, 6)
    return header
  end})
  local printed = doc
  for _, filter in ipairs(print_notes) do
    printed = printed:walk(filter)
  end
  doc.meta["gp-print-html"] = pandoc.write(printed, "html5", {wrap_text = "wrap-none"})
  return doc
end

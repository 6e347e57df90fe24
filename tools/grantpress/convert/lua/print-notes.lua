--[[
print-notes.lua: footnotes as inline spans, for WeasyPrint's `float: footnote`.

Pandoc's HTML writer collects notes at the end of the document; a printed page
needs each note's text where it is referenced, so that CSS can move it to the
foot of that page. Paragraphs of a long note are kept apart by line breaks.
]]

local function Note(note)
  local inlines = pandoc.Inlines({})
  for index, block in ipairs(note.content) do
    if index > 1 then
      inlines:insert(pandoc.LineBreak())
    end
    inlines:extend(pandoc.utils.blocks_to_inlines({block}))
  end
  return pandoc.Span(inlines, {class = "footnote"})
end

return {{Note = Note}}

--[[
xref.lua: cross-references, figure and table captions, identifiers, image paths.

Runs before citeproc, so that `@fig:x`, `@tbl:x` and `@sec:x` are links and
never reach the bibliography. grantpress passes in the metadata:
  xrefs       label → text ("1.2" for figures and tables, a heading's text)
  unit-id     a prefix making automatic identifiers unique across the book
  unit-dir    the chapter's folder relative to the repository, for image paths
  figure-word, table-word  caption prefixes ("Рисунок", "Таблица")
]]

local xrefs, unit_id, unit_dir = {}, "u", ""
local figure_word, table_word = "Рисунок", "Таблица"
local heading_count = 0

local function text(value)
  return value and pandoc.utils.stringify(value) or nil
end

--- Read the options grantpress put in the metadata.
local function read_meta(meta)
  for label, value in pairs(meta.xrefs or {}) do
    xrefs[label] = text(value)
  end
  unit_id = text(meta["unit-id"]) or unit_id
  unit_dir = text(meta["unit-dir"]) or unit_dir
  figure_word = text(meta["figure-word"]) or figure_word
  table_word = text(meta["table-word"]) or table_word
end

--- Resolve a relative image path against the chapter's folder.
local function from_root(src)
  if src:match("^[%a][%w+.-]*:") or src:sub(1, 1) == "/" then
    return src
  end
  return pandoc.path.normalize(pandoc.path.join({unit_dir, src}))
end

local function prefix_caption(caption, word, label)
  local number = xrefs[label]
  if not number or #caption.long == 0 then
    return caption
  end
  local first = caption.long[1]
  local lead = {pandoc.Str(word), pandoc.Space(), pandoc.Str(number .. "."), pandoc.Space()}
  first.content = lead .. first.content
  return caption
end

--- `@fig:x` becomes a link to the figure; citations written right after it
--- (`@fig:x[@key]`, which Pandoc reads as one citation group) stay citations.
local function Cite(cite)
  local first = cite.citations[1]
  local target = xrefs[first.id]
  if not target then
    return nil
  end
  local link = pandoc.Link(pandoc.Inlines(target), "#" .. first.id, "", {class = "xref"})
  if #cite.citations == 1 then
    return link
  end
  local rest = pandoc.List()
  for i = 2, #cite.citations do
    local citation = cite.citations[i]
    citation.mode = "NormalCitation"
    rest:insert(citation)
  end
  return {link, pandoc.Cite(pandoc.Inlines({}), rest)}
end

local function Header(header)
  if header.identifier == "" then
    heading_count = heading_count + 1
    header.identifier = unit_id .. "-h" .. heading_count
  end
  return header
end

local function Figure(figure)
  if figure.identifier:match("^fig:") then
    figure.caption = prefix_caption(figure.caption, figure_word, figure.identifier)
  end
  return figure
end

local function Table(tbl)
  if tbl.identifier:match("^tbl:") then
    tbl.caption = prefix_caption(tbl.caption, table_word, tbl.identifier)
  end
  return tbl
end

local function Image(image)
  image.src = from_root(image.src)
  return image
end

return {
  {Meta = read_meta},
  {Cite = Cite, Header = Header, Figure = Figure, Table = Table, Image = Image},
}

--[[
gost.lua: GOST area separators in citeproc's output.

The grantpress CSL styles (bibliography/csl/) join the areas of a description
with ".<U+E000> ": the private-use character marks where GOST 7.1-2003 puts its
dash. This filter runs after --citeproc and replaces the mark:
  - in the source list (metadata gost-form: list) with a non-breaking space and
    a dash, giving «. – » (a line never starts with the dash);
  - in footnotes (the default) with nothing, giving «. », as GOST R 7.0.5-2008
    (4.7) allows in references.
Any other CSL style never emits the mark, so the filter then changes nothing.
]]

-- Pandoc 2.17+ has the `pandoc.utils.stringify` and element constructors used here.
PANDOC_VERSION:must_be_at_least '2.17'

local MARK = '\u{E000}'

--- The text that replaces the mark, from `gost-form` in the metadata.
local replacement = ''

local function read_form(meta)
  local form = meta['gost-form'] and pandoc.utils.stringify(meta['gost-form']) or 'note'
  if form == 'list' then
    replacement = '\u{00A0}–'
  elseif form ~= 'note' then
    warn('gost.lua: gost-form must be "note" or "list", not "' .. form .. '"')
  end
end

--- Remove or replace the mark in one string.
local function fix(str)
  if str.text:find(MARK, 1, true) then
    str.text = str.text:gsub(MARK, replacement)
    return str
  end
end

return {
  { Meta = read_form },
  { Str = fix },
}

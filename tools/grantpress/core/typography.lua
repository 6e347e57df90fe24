--[[
typography.lua: the Russian and Kazakh rules of where a line may not break.

Runs after citeproc (footnotes and the source list are text by then) and before
print-html.lua, so that the print HTML, the EPUB and everything made from the
AST carry the same non-breaking spaces (U+00A0) and hyphens (U+2011). A space
becomes non-breaking
  * after a sign or abbreviation that stands before a number («№ 216», «ст. 5»),
  * before an abbreviation that stands after one («2009 г.», «5 тыс.»),
  * after a one- or two-letter preposition, conjunction or particle of Russian
    or Kazakh («в Республике», «и беженцев», «да … »), so that it never ends a line,
  * before a particle that leans on the word before it («бы», «же», «ли»),
  * between initials, and between the initials and the surname, in either order
    («Т. Т. Тестов», «Тестов Т. Т.»),
  * before a dash, so that no line starts with one.
The hyphen of an act's number with a Roman convocation («477-IV») is made
non-breaking. Russian and Kazakh word lists are one set: a Kazakh passage may
stand in a Russian chapter, and the two languages' short words never clash
(Kazakh has postpositions, not prepositions). Sources: А. Э. Мильчин,
Л. К. Чельцова, «Справочник издателя и автора» (2014), 6.4 «Неразрывные
пробелы»; Қазақ тілінің орфографиялық сөздігі (2013), the function words.
]]

local NBSP = "\u{00A0}"
local NB_HYPHEN = "\u{2011}"

local function set(words)
  local result = {}
  for _, word in ipairs(words) do
    result[word] = true
  end
  return result
end

-- Signs and abbreviations that stand before what they number or name.
local BEFORE_NUMBER = set({"№", "§", "ст.", "п.", "пп.", "ч.", "гл.", "т.", "с.", "рис.", "табл.", "разд."})

-- Abbreviations that stand before a name («г. Астана», «им. Абая»).
local BEFORE_NAME = set({"г.", "им.", "ул.", "пр."})

-- Abbreviations and particles that stand after the word they belong to.
local AFTER_WORD = set({"г.", "гг.", "в.", "вв.", "тыс.", "млн", "млн.", "млрд", "млрд.",
                        "экз.", "бы", "б", "же", "ж", "ли", "ль"})

-- One- and two-letter prepositions, conjunctions and particles.
local SHORT_WORDS = set({
  -- Russian
  "а", "в", "и", "к", "о", "с", "у", "я", "во", "до", "за", "из", "ко", "на", "не",
  "ни", "но", "об", "от", "по", "со", "да", "ну", "уж", "то",
  -- Kazakh: ал «а, но», әр «каждый», де/та/те «и, тоже», не/я «или», ең «самый»
  "ал", "әр", "де", "та", "те", "ең",
})

-- Punctuation that may stick to a word (Lua's classes are bytes: the
-- quotation marks of two bytes are listed as strings).
local OPENING = {"(", "[", "«", "„", "\"", "“", "'"}
local CLOSING = {")", "]", "»", "“", "”", "\"", "'", ",", ";", ":", "!", "?"}

local function strip(text, marks, at_start)
  local stripped = true
  while stripped and text ~= "" do
    stripped = false
    for _, mark in ipairs(marks) do
      if at_start and text:sub(1, #mark) == mark then
        text, stripped = text:sub(#mark + 1), true
      elseif not at_start and #text > #mark and text:sub(-#mark) == mark then
        text, stripped = text:sub(1, -#mark - 1), true
      end
    end
  end
  return text
end

local function ends_with_closing(text)
  return strip(text, CLOSING, false) ~= text
end

local function lower(text)
  return pandoc.text.lower(text)
end

--- The word of a Str without the punctuation that may stick to it.
local function core(text)
  return strip(strip(text, OPENING, true), CLOSING, false)
end

--- «Т.», «Т.Т.», «Т.-Т.»: capital letters each followed by a full stop.
local function is_initials(text)
  local word = core(text)
  if word == "" then
    return false
  end
  local expect_letter = true
  for _, code in utf8.codes(word) do
    local char = utf8.char(code)
    if expect_letter then
      if pandoc.text.upper(char) ~= char or lower(char) == char then
        return false
      end
    elseif char ~= "." then
      return false
    end
    expect_letter = not expect_letter
  end
  return expect_letter
end

local function is_capitalised(text)
  local word = strip(text, OPENING, true)
  local first = pandoc.text.sub(word, 1, 1)
  return first ~= "" and lower(first) ~= first
end

local function is_space(inline)
  return inline and (inline.t == "Space" or inline.t == "SoftBreak")
end

local function str_at(inlines, i)
  local inline = inlines[i]
  return inline and inline.t == "Str" and inline.text or nil
end

--- Whether the initials starting at ``i`` stand before a surname («Т. Т. Тестов»).
local function initials_lead(inlines, i)
  while str_at(inlines, i) and is_initials(inlines[i].text) and is_space(inlines[i + 1]) do
    i = i + 2
  end
  local text = str_at(inlines, i)
  return text ~= nil and not is_initials(text) and is_capitalised(text)
end

-- The longest word the rules look at, in bytes (Cyrillic letters take two):
-- anything longer is passed over before the slower tests.
local SHORT = 10

--- Whether the space between ``before`` and ``after`` (strings or nil) may not break;
--- ``i`` is the space's place in ``inlines``.
local function binds(inlines, i, before, after)
  if before and #before <= SHORT and not ends_with_closing(before) then
    -- «в,» or «(с)» ends a clause: these rules are about a bare word before a space.
    local word = lower(core(before))
    if BEFORE_NUMBER[word] or SHORT_WORDS[word] then
      return true
    end
  end
  if not after then
    return false
  end
  if #after <= SHORT then
    if after == "—" or after == "–" then
      return true
    end
    local word = lower(strip(after, {",", ";", ":", ")", "»"}, false))
    if AFTER_WORD[word] or AFTER_WORD[(word:gsub("%.$", ""))] then
      return true
    end
  end
  if not before then
    return false
  end
  if before:sub(-1) == "." and is_capitalised(after)
      and (BEFORE_NAME[before] or is_initials(before)) then
    return true
  end
  -- «Тестов Т. Т.», but not «… Казахстан Т. Т. Тестов».
  return after:find(".", 2, true) ~= nil and is_initials(after) and is_capitalised(before)
    and not before:match("[%.,;:]$") and not initials_lead(inlines, i + 1)
end

--- One pass over each list of inlines (not a Str filter besides: a filter
--- called on every string costs a seventh of a chapter's conversion). Strings
--- are read once each; the list is returned only if something changed.
local function Inlines(inlines)
  local changed = false
  local previous_text = nil
  local count = #inlines
  for i = 1, count do
    local inline = inlines[i]
    local kind = inline.t
    if kind == "Str" then
      local text = inline.text
      if text:find("%d%-[IVXLC]") and not text:find("://", 1, true) then
        -- «477-IV»: the hyphen between an act's number and its Roman convocation;
        -- not in a URL (…/fictional/477-IV), which must stay the address it is.
        inline.text = text:gsub("(%d)%-([IVXLC]+)", "%1" .. NB_HYPHEN .. "%2")
        changed = true
      end
      previous_text = text
    elseif (kind == "Space" or kind == "SoftBreak") and i > 1 and i < count then
      local after = inlines[i + 1]
      if binds(inlines, i, previous_text, after.t == "Str" and after.text or nil) then
        inlines[i] = pandoc.Str(NBSP)
        changed = true
      end
      previous_text = nil
    else
      previous_text = nil
    end
  end
  return changed and inlines or nil
end

return {{Inlines = Inlines}}

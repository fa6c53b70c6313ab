-- Pandoc Lua filter of the built-in renderer (analysis.render): the Quarto features of the
-- documented subset that plain pandoc lacks, for HTML, Typst (PDF) and DOCX alike.
--
--  * Callouts (::: {.callout-note} ... :::): a titled box. The title comes from the `title`
--    attribute, else a heading at the top of the callout, else the callout type.
--  * Cross-references: tables with a `tbl-` id and figures with a `fig-` id are numbered in
--    document order ("Table 1: caption"); @tbl-x / @fig-x become links ("Table 1").
--    A reference to a label that does not exist stops the render.
--  * Headings are shifted so that the top level used becomes level 1 (sections number 1, 2, ...
--    even when the report starts at ##); in HTML level 2, as the page title is the only h1.
--  * HTML: long tables (LONG_TABLE_ROWS body rows or more, or class .interactive) get the class
--    "interactive", and the document the metadata flag `interactive-tables`, which makes the
--    template include the small offline sort/filter script (report.js). Suppressed cells ("c")
--    are marked up with an explanation for screen readers and on hover.
--  * Typst (PDF): tables that surely fit on a page (estimated height) are kept on one page;
--    longer tables break across pages with their header repeated and their caption kept with
--    their first rows.
--  * DOCX: the synthetic-data banner and the report details go on the first page (as the
--    abstract, which pandoc places before the table of contents); the contents and the body each
--    start on a new page; headings marked .unlisted stay out of Word's contents (level 3+).

local CALLOUT_TITLES = {
  note = "Note", tip = "Tip", warning = "Warning", important = "Important", caution = "Caution",
}
-- GSS accessible palette (Analysis Function colours guidance).
local CALLOUT_COLOURS = {
  note = "#12436D", tip = "#28A197", warning = "#F46A25", important = "#801650",
  caution = "#F46A25",
}
local KINDS = { tbl = "Table", fig = "Figure" }
-- A table with this many body rows or more is interactive in HTML (sort and filter).
local LONG_TABLE_ROWS = 15
-- PDF: a table whose estimated height (points) is at most this is kept on one page; the text
-- area of an A4 page is about 710 pt high (report.typ), so the estimate has a margin of error.
local ONE_PAGE_HEIGHT = 560
-- Table text in the PDF (report.typ): 8.5 pt with 0.5 em leading, 4 pt cell insets; about 95
-- characters of DejaVu Sans fill the 17 cm text width.
local LINE_PT, ROW_PT, CHARS_PER_WIDTH = 12.75, 4, 95
local SUPPRESSED_TITLE = "c: suppressed to protect confidentiality (a count of 1 to 5, "
  .. "or a figure that would reveal one)"
local PAGE_BREAK_OPENXML = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and CALLOUT_TITLES[kind] then return kind end
    if class == "callout" then return "note" end
  end
  return nil
end

local function callout(div)
  local kind = callout_type(div)
  if not kind then return nil end
  local body = pandoc.Blocks(div.content)
  local title
  if div.attributes.title then
    title = pandoc.Inlines(div.attributes.title)
  elseif body[1] and body[1].t == "Header" then
    title = body[1].content
    body:remove(1)
  else
    title = pandoc.Inlines(CALLOUT_TITLES[kind])
  end
  if FORMAT:match("html") then
    return pandoc.Div({
      pandoc.Div(pandoc.Plain(title), { class = "callout-title" }),
      pandoc.Div(body, { class = "callout-body" }),
    }, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }, { role = "note" }))
  elseif FORMAT == "typst" then
    local colour = CALLOUT_COLOURS[kind]
    local open = string.format(
      '#block(width: 100%%, breakable: true, fill: rgb("%s").lighten(90%%), '
      .. 'stroke: (left: 3pt + rgb("%s")), inset: (x: 10pt, y: 8pt), radius: 2pt)[',
      colour, colour)
    local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", open),
      pandoc.Para({ pandoc.Strong(title) }) })
    blocks:extend(body)
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  elseif FORMAT == "docx" then
    local blocks = pandoc.Blocks({ pandoc.Para({ pandoc.Strong(title) }) })
    blocks:extend(body)
    return pandoc.Div(blocks, { ["custom-style"] = "Callout" })
  end
  local blocks = pandoc.Blocks({ pandoc.Para({ pandoc.Strong(title) }) })
  blocks:extend(body)
  return pandoc.BlockQuote(blocks)
end

local function prefix_caption(caption, label)
  local prefix = pandoc.Inlines({ pandoc.Str(label .. ":"), pandoc.Space() })
  local first = caption.long[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    first.content = prefix .. first.content
  else
    caption.long:insert(1, pandoc.Plain(pandoc.Inlines({ pandoc.Str(label) })))
  end
  return caption
end

local function number_crossrefs(doc)
  local refs, counts = {}, { tbl = 0, fig = 0 }
  local function register(el)
    local kind = el.identifier:match("^(%a+)%-")
    if not KINDS[kind] then return nil end
    if refs[el.identifier] then
      error("the label " .. el.identifier .. " is used twice in the report")
    end
    counts[kind] = counts[kind] + 1
    local number = tostring(counts[kind])
    refs[el.identifier] = { kind = KINDS[kind], number = number }
    el.caption = prefix_caption(el.caption, KINDS[kind] .. " " .. number)
    return el
  end
  doc = doc:walk({ Table = register, Figure = register })
  return doc:walk({
    Cite = function(cite)
      local out = pandoc.Inlines({})
      for i, citation in ipairs(cite.citations) do
        local ref = refs[citation.id]
        if not ref then
          if KINDS[citation.id:match("^(%a+)%-") or ""] then
            error("cross-reference @" .. citation.id .. " points to no table or figure")
          end
          return nil -- a real citation: leave it to pandoc
        end
        if i > 1 then out:extend({ pandoc.Str(";"), pandoc.Space() }) end
        out:extend(citation.prefix)
        if #citation.prefix > 0 then out:insert(pandoc.Space()) end
        local text = ref.kind .. " " .. ref.number
        if citation.mode == "SuppressAuthor" then text = ref.number end
        out:insert(pandoc.Link(pandoc.Inlines(text), "#" .. citation.id))
        out:extend(citation.suffix)
      end
      return out
    end,
  })
end

-- Column widths. Pandoc gives a pipe table with a long line equal column widths (from its equal
-- dashes), which squeezes text columns. When the author gave no widths of their own (all equal or
-- all default): HTML gets the browser's automatic layout; Typst and DOCX get full-width columns in
-- proportion to their longest cell (capped), so long text wraps and numbers stay narrow.
local MAX_CHARS, MIN_CHARS = 30, 4

-- Per column: the longest cell text (capped) and the longest word (never broken).
local function cell_lengths(tbl)
  local longest, words = {}, {}
  local function visit(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        local text = pandoc.utils.stringify(cell.contents)
        longest[i] = math.max(longest[i] or 0, utf8.len(text) or #text)
        for word in text:gmatch("%S+") do
          words[i] = math.max(words[i] or 0, utf8.len(word) or #word)
        end
      end
    end
  end
  visit(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    visit(body.head)
    visit(body.body)
  end
  visit(tbl.foot.rows)
  return longest, words
end

local function table_widths(tbl)
  local first = tbl.colspecs[1] and tbl.colspecs[1][2]
  for _, spec in ipairs(tbl.colspecs) do
    if spec[2] ~= first then return nil end -- the author chose widths: keep them
  end
  if FORMAT:match("html") then
    for _, spec in ipairs(tbl.colspecs) do spec[2] = nil end
    return tbl
  end
  local longest, words = cell_lengths(tbl)
  local chars, total = {}, 0
  for i = 1, #tbl.colspecs do
    local want = math.min(MAX_CHARS, longest[i] or 0)
    local need = (words[i] or 0) + 2 -- room for the longest word and the cell padding
    chars[i] = math.max(MIN_CHARS, want, need)
    total = total + chars[i]
  end
  for i, spec in ipairs(tbl.colspecs) do spec[2] = chars[i] / total end
  return tbl
end

-- Typst: pass the alt text of images on (typst writes it into the tagged PDF).
local function typst_image(img)
  local alt = img.attributes.alt or img.attributes["fig-alt"]
  if not alt or img.attributes.width or img.attributes.height then return nil end
  local function quote(s) return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"' end
  return pandoc.RawInline("typst", "#image(" .. quote(img.src) .. ", alt: " .. quote(alt) .. ")")
end

local function shift_headings(doc)
  local top = 7
  doc:walk({ Header = function(h) top = math.min(top, h.level) end })
  local want = FORMAT:match("html") and 2 or 1
  if top == want or top == 7 then return doc end
  return doc:walk({ Header = function(h)
    h.level = math.min(6, h.level - (top - want))
    return h
  end })
end

local function body_rows(tbl)
  local n = 0
  for _, body in ipairs(tbl.bodies) do n = n + #body.body end
  return n
end

local function has_class(attr, name)
  for _, class in ipairs(attr.classes) do
    if class == name then return true end
  end
  return false
end

-- HTML: each table in a wrapper that scrolls sideways when the table cannot fit; a wide one
-- (WIDE_TABLE_COLUMNS or more) is a named, focusable region so that keyboards can scroll it.
local WIDE_TABLE_COLUMNS = 5
local function html_wrap(tbl)
  local attributes = {}
  if #tbl.colspecs >= WIDE_TABLE_COLUMNS then
    local name = pandoc.utils.stringify(tbl.caption.long)
    -- pairs in a list, so that they are written in this order (a table's keys have none)
    attributes = { { "role", "region" }, { "tabindex", "0" },
      { "aria-label", name ~= "" and name or "Table" } }
  end
  return pandoc.Div({ tbl }, pandoc.Attr("", { "table-wrap" }, attributes))
end

-- HTML: mark long tables interactive and explain suppressed cells.
local function html_table(tbl)
  if body_rows(tbl) >= LONG_TABLE_ROWS and not has_class(tbl.attr, "interactive") then
    tbl.attr.classes:insert("interactive")
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for _, cell in ipairs(row.cells) do
        local text = pandoc.utils.stringify(cell.contents)
        -- "91.4 (88.0 to 93.9)" wraps before the interval, never inside it
        local number, interval = text:match("^([%-%+]?%d[%d,%.]*%%?) (%(.+%))$")
        if number then
          cell.contents = pandoc.Blocks({ pandoc.Plain({ pandoc.Str(number), pandoc.Space(),
            pandoc.Str((interval:gsub(" ", "\u{A0}"))) }) })
        end
        if text == "c" then
          cell.contents = pandoc.Blocks({ pandoc.Plain({ pandoc.RawInline("html",
            '<abbr class="suppressed" title="' .. SUPPRESSED_TITLE .. '">c</abbr>') }) })
        end
      end
    end
  end
  return tbl
end

local function interactive_flag(doc)
  local found = false
  doc:walk({ Table = function(tbl)
    if has_class(tbl.attr, "interactive") then found = true end
  end })
  if found then doc.meta["interactive-tables"] = true end
  return doc
end

-- Typst: estimated height of a table in points, from its column widths (fractions of the text
-- width, set by table_widths) and the length of the text in each cell.
local function typst_table_height(tbl)
  local capacity = {}
  for i, spec in ipairs(tbl.colspecs) do
    capacity[i] = math.max(3, (spec[2] or (1 / #tbl.colspecs)) * CHARS_PER_WIDTH - 2)
  end
  local height = 0
  local function visit(rows)
    for _, row in ipairs(rows) do
      local lines = 1
      for i, cell in ipairs(row.cells) do
        local text = pandoc.utils.stringify(cell.contents)
        local length = utf8.len(text) or #text
        lines = math.max(lines, math.ceil(length / (capacity[i] or CHARS_PER_WIDTH)))
      end
      height = height + lines * LINE_PT + ROW_PT
    end
  end
  visit(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do visit(body.body) end
  return height + 2 * LINE_PT -- the caption
end

-- Typst: keep a table that surely fits on a page on one page, caption included. A longer one
-- breaks across pages with its header repeated; its caption sticks to it (report.typ).
local function typst_keep_together(blocks)
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    local tbl = nil
    if block.t == "Table" then tbl = block end
    if block.t == "Figure" and block.content[1] and block.content[1].t == "Table" then
      tbl = block.content[1]
    end
    if tbl and typst_table_height(tbl) <= ONE_PAGE_HEIGHT then
      out:insert(pandoc.RawBlock("typst", "#block(breakable: false, width: 100%)["))
      out:insert(block)
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      out:insert(block)
    end
  end
  return out
end

local function meta_inlines(value)
  if value == nil then return nil end
  if type(value) == "string" or type(value) == "number" then
    return pandoc.Inlines(tostring(value))
  end
  local text = pandoc.utils.stringify(value)
  if text == "" then return nil end
  if pandoc.utils.type(value) == "Inlines" then return value end
  return pandoc.Inlines(text)
end

local function docx_front_page(doc)
  local blocks = pandoc.Blocks({})
  local banner = meta_inlines(doc.meta["synthetic-banner"])
  if banner then
    blocks:insert(pandoc.Div(pandoc.Para({ pandoc.Strong(banner) }),
      { ["custom-style"] = "Synthetic Banner" }))
  end
  local details = {
    { "la_name", "Local authority" }, { "period_label", "Reporting period" },
    { "data_as_at", "Data as at" }, { "report_of", "Report of" },
    { "submitted_to", "Submitted to" },
  }
  for _, item in ipairs(details) do
    local value = meta_inlines(doc.meta[item[1]])
    if value then
      local line = pandoc.Inlines({ pandoc.Strong(item[2] .. ":"), pandoc.Space() })
      line:extend(value)
      blocks:insert(pandoc.Div(pandoc.Para(line), { ["custom-style"] = "Report Details" }))
    end
  end
  if #blocks == 0 then return doc end
  local abstract = doc.meta.abstract
  if abstract then
    if pandoc.utils.type(abstract) == "Inlines" then
      blocks:insert(pandoc.Para(abstract))
    elseif pandoc.utils.type(abstract) == "Blocks" then
      blocks:extend(abstract)
    else
      blocks:insert(pandoc.Para(pandoc.Inlines(pandoc.utils.stringify(abstract))))
    end
  end
  blocks:insert(pandoc.RawBlock("openxml", PAGE_BREAK_OPENXML)) -- contents on page 2
  doc.meta.abstract = pandoc.MetaBlocks(blocks)
  doc.meta["abstract-title"] = pandoc.MetaInlines({})
  doc.blocks:insert(1, pandoc.RawBlock("openxml", PAGE_BREAK_OPENXML)) -- body after contents
  return doc
end

function Pandoc(doc)
  doc = shift_headings(doc)
  doc = doc:walk({ Div = callout })
  doc = number_crossrefs(doc)
  doc = doc:walk({ Table = table_widths })
  if FORMAT:match("html") then
    doc = doc:walk({ Table = html_table })
    doc = interactive_flag(doc)
    doc = doc:walk({ Table = html_wrap })
  end
  if FORMAT == "typst" then
    doc = doc:walk({ Image = typst_image })
    doc.blocks = typst_keep_together(doc.blocks)
  end
  if FORMAT == "docx" then
    doc = docx_front_page(doc)
    -- Word builds its contents from heading levels only: keep unlisted headings out of it.
    doc = doc:walk({ Header = function(h)
      if has_class(h.attr, "unlisted") and h.level < 3 then h.level = 3 end
      return h
    end })
  end
  return doc
end

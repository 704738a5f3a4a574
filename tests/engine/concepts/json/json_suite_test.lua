-- lab.json against JSONTestSuite (tests/engine/concepts/json/data, see SOURCES.md):
-- every y_ file accepted, every n_ file refused with a line and column inside the
-- text, and each i_ file (implementation-defined) decided as the table says.

local DATA = "tests/engine/concepts/json/data/"

local function read(name)
  local f = assert(io.open(DATA .. "test_parsing/" .. name, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- lab.json's choice for each i_ case, and why (json.md, json.h).
local I_CASES = {
  -- numbers: a double's range is the limit (RFC 8259 section 6); underflow is 0
  i_number_double_huge_neg_exp = "accept",      -- 123.456e-789 underflows to 0.0
  i_number_huge_exp = "reject",                 -- beyond a double
  i_number_neg_int_huge_exp = "reject",
  i_number_pos_double_huge_exp = "reject",
  i_number_real_neg_overflow = "reject",
  i_number_real_pos_overflow = "reject",
  i_number_real_underflow = "accept",           -- 123e-10000000 is 0.0
  i_number_too_big_neg_int = "accept",          -- beyond int64: a double
  i_number_too_big_pos_int = "accept",
  i_number_very_big_negative_int = "accept",
  -- escaped lone surrogates have no UTF-8 form (section 7): refused by default
  i_object_key_lone_2nd_surrogate = "reject",
  i_string_1st_surrogate_but_2nd_missing = "reject",
  i_string_1st_valid_surrogate_2nd_invalid = "reject",
  i_string_incomplete_surrogate_and_escape_valid = "reject",
  i_string_incomplete_surrogate_pair = "reject",
  i_string_incomplete_surrogates_escape_valid = "reject",
  i_string_invalid_lonely_surrogate = "reject",
  i_string_invalid_surrogate = "reject",
  i_string_inverted_surrogates_U_1D11E = "reject",
  i_string_lone_second_surrogate = "reject",
  -- the text must be UTF-8 (section 8.1)
  i_string_UTF_16LE_with_BOM = "reject",
  i_string_UTF_8_invalid_sequence = "reject",
  i_string_UTF8_surrogate_U_D800 = "reject",
  i_string_invalid_utf_8 = "reject",
  i_string_iso_latin_1 = "reject",
  i_string_lone_utf8_continuation_byte = "reject",
  i_string_not_in_unicode_range = "reject",
  i_string_overlong_sequence_2_bytes = "reject",
  i_string_overlong_sequence_6_bytes = "reject",
  i_string_overlong_sequence_6_bytes_null = "reject",
  i_string_truncated_utf_8 = "reject",
  i_string_utf16BE_no_BOM = "reject",
  i_string_utf16LE_no_BOM = "reject",
  -- structure: 500 levels fit in the default max_depth of 512; a BOM is refused
  i_structure_500_nested_arrays = "accept",
  i_structure_UTF_8_BOM_empty_object = "reject",
}

local function key(name) return (name:gsub("%.json$", ""):gsub("[^%w_]", "_")) end

test("json/jsontestsuite", function()
  local counts, problems, seen_i = {y = 0, n = 0, i = 0}, {}, {}
  for name in io.lines(DATA .. "test_parsing.txt") do
    local text, kind = read(name), name:sub(1, 1)
    counts[kind] = counts[kind] + 1
    local v, err, line, col = lab.json.decode(text)
    local accepted = v ~= nil
    local want = kind == "y" and "accept" or kind == "n" and "reject" or I_CASES[key(name)]
    if kind == "i" then seen_i[key(name)] = true end
    if want == nil then
      problems[#problems + 1] = name .. ": no choice stated"
    elseif (want == "accept") ~= accepted then
      problems[#problems + 1] = ("%s: %s, want %s"):format(name,
        accepted and "accepted" or ("refused (" .. err .. ")"), want)
    elseif not accepted then
      -- the error names a place inside the text
      local lines = select(2, text:gsub("\n", "")) + 1
      if type(line) ~= "number" or line < 1 or line > lines + 1 or type(col) ~= "number"
        or col < 1 or not err:find("^line %d+, column %d+: ") then
        problems[#problems + 1] = ("%s: bad error %s"):format(name, tostring(err))
      end
    else
      -- what is accepted re-encodes and decodes to the same text again
      local again = lab.json.encode(v)
      if lab.json.encode(lab.json.decode(again)) ~= again then
        problems[#problems + 1] = name .. ": does not round-trip: " .. again
      end
    end
  end
  for k in pairs(I_CASES) do
    if not seen_i[k] then problems[#problems + 1] = k .. ": listed but not in the suite" end
  end
  print(("# JSONTestSuite: %d y_ accepted, %d n_ refused, %d i_ decided as stated"):format(
    counts.y, counts.n, counts.i))
  eq(#problems, 0, table.concat(problems, "\n      "))
  eq(counts.y, 95); eq(counts.n, 188); eq(counts.i, 35)
end)

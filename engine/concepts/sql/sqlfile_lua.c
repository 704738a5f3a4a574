/*
 * sqlfile_lua.c — the file-format functions of lab.sql (sqlfile.h):
 *
 *   lab.sql.file(name)          -> the bytes of data/NAME (tiny.db)
 *   lab.sql.header(bytes)       -> the 100-byte header's fields
 *   lab.sql.page(bytes, n)      -> page n's b-tree header and cell pointers
 *   lab.sql.cell(bytes, n, i)   -> cell i (1-based) of page n, decoded
 *   lab.sql.varint(bytes, pos)  -> value, length
 */
#include "engine/lab/labkit.h"
#include "engine/lab/lab.h"
#include "engine/base/files.h"
#include "engine/concepts/sql/sqlfile.h"
#include "engine/concepts/sql/sqlfile_lua.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FILE ((size_t)1 << 20)

/* Whether NAME is a data file's name: a dataset-like stem, a dot, an
 * extension of letters and digits (no path, no leading dot). */
static int file_name_ok(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || dot - name > 40 || !dot[1] || strlen(dot) > 9)
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			 (c == '-' && p != name) || p == dot;
		if (!ok)
			return 0;
	}
	return 1;
}

static int l_file(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	if (!file_name_ok(name))
		return luaL_error(L, "lab.sql.file: '%s' is not a data file's name (like tiny.db)",
				  name);
	const char *dir = lab_datadir(L);
	if (!dir)
		return luaL_error(L, "lab.sql.file: no data files here: open a lesson of the "
				     "module first");
	char *path = xasprintf("%s/%s", dir, name), *err = NULL;
	size_t len;
	char *bytes = files_read(path, MAX_FILE, &len, &err);
	free(path);
	if (!bytes) {
		lua_pushfstring(L, "lab.sql.file: no data file '%s' (%s)", name, err); /* push msg */
		free(err);
		return lua_error(L);
	}
	lua_pushlstring(L, bytes, len);
	free(bytes);
	return 1;
}

static const unsigned char *check_bytes(lua_State *L, int idx, size_t *len)
{
	return (const unsigned char *)luaL_checklstring(L, idx, len); /* anchored: an argument */
}

/* Raises "WHO: message" with the message in ERR. */
static int fail_err(lua_State *L, const char *who, struct sbuf *err)
{
	lua_pushfstring(L, "%s: %s", who, sbuf_str(err));         /* push message */
	sbuf_free(err);
	return lua_error(L);
}

#define HF(m) LAB_F(struct sqlf_header, m)
static const struct lab_field header_fields[] = {
	HF(page_size), HF(write_version), HF(read_version), HF(reserved_per_page),
	HF(max_embedded_payload_fraction), HF(min_embedded_payload_fraction),
	HF(leaf_payload_fraction), HF(file_change_counter), HF(db_size_pages),
	HF(first_freelist_trunk), HF(freelist_count), HF(schema_cookie), HF(schema_format),
	HF(default_cache_size), HF(largest_root_btree_autovacuum), HF(text_encoding),
	HF(user_version), HF(incremental_vacuum), HF(application_id), HF(version_valid_for),
	HF(sqlite_version_number), {NULL},
};

static int l_header(lua_State *L)
{
	size_t len;
	const unsigned char *b = check_bytes(L, 1, &len);
	struct sqlf_header h;
	struct sbuf err = SBUF_INIT;
	if (sqlf_header(b, len, &h, &err) != 0)
		return fail_err(L, "lab.sql.header", &err);
	lab_pushfields(L, &h, header_fields);                      /* push header */
	return 1;
}

/* Reads the page at arguments (1, 2) into P; raises on error. */
static uint32_t read_page(lua_State *L, const char *who, struct sqlf_page *p)
{
	size_t len;
	const unsigned char *b = check_bytes(L, 1, &len);
	lua_Integer n = luaL_checkinteger(L, 2);
	struct sqlf_header h;
	struct sbuf err = SBUF_INIT;
	if (sqlf_header(b, len, &h, &err) != 0)
		fail_err(L, who, &err);
	if (n < 1 || n > 0xffffffffLL) {
		lua_pushfstring(L, "%s: pages are numbered from 1", who);
		lua_error(L);
	}
	if (sqlf_page(b, len, h.page_size, (uint32_t)n, p, &err) != 0)
		fail_err(L, who, &err);
	return h.page_size;
}

#define PF(m) LAB_F(struct sqlf_page, m)
static const struct lab_field page_fields[] = {
	PF(type), PF(first_freeblock), LAB_FAS("cells", struct sqlf_page, ncells),
	PF(cell_content_start), PF(fragmented), PF(start), PF(header),
	LAB_FARRAY("cell_ptrs", struct sqlf_page, cell_ptrs, ncells), {NULL},
};

static int l_page(lua_State *L)
{
	struct sqlf_page p;
	read_page(L, "lab.sql.page", &p);
	lab_pushfields(L, &p, page_fields);                        /* push page */
	if (p.type == SQLF_INTERIOR_TABLE || p.type == SQLF_INTERIOR_INDEX)
		lab_setint(L, "rightmost", p.rightmost);
	sqlf_page_free(&p);
	return 1;
}

static int l_cell(lua_State *L)
{
	struct sqlf_page p;
	uint32_t page_size = read_page(L, "lab.sql.cell", &p);
	size_t len;
	const unsigned char *b = check_bytes(L, 1, &len);
	lua_Integer i = luaL_checkinteger(L, 3);
	struct sqlf_cell c;
	struct sbuf err = SBUF_INIT;
	int rc = i >= 1 && i <= p.ncells ? sqlf_cell(b, len, &p, page_size, (int)(i - 1), &c, &err)
					   : -1;
	if (rc != 0 && err.len == 0)
		sbuf_addf(&err, "page %u has cells 1 to %d", p.pgno, p.ncells);
	int type = p.type;
	sqlf_page_free(&p);
	if (rc != 0)
		return fail_err(L, "lab.sql.cell", &err);
	lua_createtable(L, 0, 6);                                  /* push cell */
	lab_setint(L, "offset", (lua_Integer)c.offset);
	if (type == SQLF_INTERIOR_TABLE || type == SQLF_INTERIOR_INDEX)
		lab_setint(L, "left_child", c.left_child);
	if (type == SQLF_INTERIOR_TABLE)
		lab_setint(L, "key", c.rowid);
	if (type == SQLF_LEAF_TABLE)
		lab_setint(L, "rowid", c.rowid);
	if (type != SQLF_INTERIOR_TABLE) {
		lab_setint(L, "payload_bytes", (lua_Integer)c.payload_bytes);
		lab_setint(L, "n", c.nvalues);
		lua_createtable(L, c.nvalues, 0);                  /* push types */
		lua_createtable(L, c.nvalues, 0);                  /* push values */
		for (int k = 0; k < c.nvalues; k++) {
			const struct sqlf_value *v = &c.values[k];
			lua_pushinteger(L, (lua_Integer)v->serial);
			lua_rawseti(L, -3, k + 1);                 /* types[k] = serial */
			switch (v->kind) {
			case 1: lua_pushinteger(L, v->i); break;
			case 2: lua_pushnumber(L, v->f); break;
			case 3:
			case 4: lua_pushlstring(L, (const char *)v->p, v->n); break;
			default: lua_pushnil(L); break;
			}
			lua_rawseti(L, -2, k + 1);                 /* values[k] = value */
		}
		lua_setfield(L, -3, "values");
		lua_setfield(L, -2, "types");
	}
	sqlf_cell_free(&c);
	return 1;
}

static int l_varint(lua_State *L)
{
	size_t len;
	const unsigned char *b = check_bytes(L, 1, &len);
	lua_Integer pos = luaL_optinteger(L, 2, 1);
	if (pos < 1 || (size_t)pos > len)
		return luaL_error(L, "lab.sql.varint: position %I is outside the %I bytes", pos,
				  (lua_Integer)len);
	uint64_t v;
	int n = sqlf_varint(b + pos - 1, b + len, &v);
	if (!n)
		return luaL_error(L, "lab.sql.varint: the varint at %I is cut short", pos);
	lua_pushinteger(L, (lua_Integer)v);
	lua_pushinteger(L, n);
	return 2;
}

const luaL_Reg sqlfile_functions[] = {
	{"file", l_file},   {"header", l_header}, {"page", l_page},
	{"cell", l_cell},   {"varint", l_varint}, {NULL, NULL},
};

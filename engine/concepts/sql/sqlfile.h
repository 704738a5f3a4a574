/*
 * sqlfile.h — reading SQLite's file format by hand: the database header,
 * b-tree page headers, cells, varints and records, as sqlite.org/
 * fileformat2.html defines them (sections 1.3 "The Database Header", 1.6
 * "B-tree Pages", 2.1 "Record Format"). For lessons that take a real
 * database file apart byte by byte, and for checking learners who do.
 *
 * Every function reads from a byte buffer it does not own and never reads
 * past its end: a truncated or corrupt file gives an error, not a crash.
 * All multi-byte integers in the file are big-endian. Payloads that spill
 * to overflow pages are reported, not followed.
 */
#ifndef BACKLAB_SQLFILE_H
#define BACKLAB_SQLFILE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

/* The 100-byte header at the start of the file. */
struct sqlf_header {
	uint32_t page_size;           /* bytes; the stored 1 means 65536 */
	int write_version, read_version, reserved_per_page;
	int max_embedded_payload_fraction, min_embedded_payload_fraction, leaf_payload_fraction;
	uint32_t file_change_counter, db_size_pages, first_freelist_trunk, freelist_count;
	uint32_t schema_cookie, schema_format, default_cache_size, largest_root_btree_autovacuum;
	uint32_t text_encoding, user_version, incremental_vacuum, application_id;
	uint32_t version_valid_for, sqlite_version_number;
};

/* Reads the header; 0, or -1 with why in ERR (too short, bad magic, a page
 * size that is not a power of two from 512 to 65536). */
int sqlf_header(const unsigned char *b, size_t len, struct sqlf_header *h, struct sbuf *err);

#define SQLF_INTERIOR_INDEX 2
#define SQLF_INTERIOR_TABLE 5
#define SQLF_LEAF_INDEX 10
#define SQLF_LEAF_TABLE 13

/* A b-tree page's header and cell pointers (offsets from the page start). */
struct sqlf_page {
	uint32_t pgno;
	size_t start;                 /* offset of the page in the file */
	size_t header;                /* offset of its b-tree header in the page (100 on page 1) */
	int type;                     /* SQLF_* */
	int first_freeblock, ncells, cell_content_start, fragmented;
	uint32_t rightmost;           /* interior pages only; 0 on leaves */
	uint16_t *cell_ptrs;          /* ncells offsets, owned (free with sqlf_page_free) */
};

/* Reads page PGNO (1-based) of a file with pages of PAGE_SIZE bytes; 0, or
 * -1 with why in ERR. */
int sqlf_page(const unsigned char *b, size_t len, uint32_t page_size, uint32_t pgno,
	      struct sqlf_page *p, struct sbuf *err);
void sqlf_page_free(struct sqlf_page *p);

/* Decodes the varint at P (1 to 9 bytes, never past END) into *V; returns
 * its length, or 0 if it is cut short. */
int sqlf_varint(const unsigned char *p, const unsigned char *end, uint64_t *v);

/* One value of a record. */
struct sqlf_value {
	uint64_t serial;              /* serial type */
	int kind;                     /* 0 NULL, 1 integer, 2 real, 3 text, 4 blob */
	int64_t i;
	double f;
	const unsigned char *p;       /* text or blob bytes, inside the file buffer */
	size_t n;
};

/* A cell: table leaf (rowid and record), table interior (left child and
 * key), index leaf (record) or index interior (left child and record). */
struct sqlf_cell {
	uint32_t left_child;          /* interior pages */
	int64_t rowid;                /* table leaf: the rowid; table interior: the key */
	uint64_t payload_bytes;       /* cells with a record */
	size_t offset;                /* of the cell in the page */
	int nvalues;
	struct sqlf_value *values;    /* owned (free with sqlf_cell_free) */
};

/* Reads cell I (0-based) of page P of the file; 0, or -1 with why. */
int sqlf_cell(const unsigned char *b, size_t len, const struct sqlf_page *p, uint32_t page_size,
	      int i, struct sqlf_cell *c, struct sbuf *err);
void sqlf_cell_free(struct sqlf_cell *c);

#endif

/*
 * files.h — the few file-system chores several parts of backlab need:
 * is this a directory, create a directory and its parents, open a regular
 * file without blocking, read a whole file.
 */
#ifndef BACKLAB_FILES_H
#define BACKLAB_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whether PATH exists and is a directory (following links). */
bool files_is_dir(const char *path);

/*
 * Creates directory PATH and any missing parents with MODE (mkdir -p).
 * Returns 0, or an errno value naming the first failure; *FAILED (if not
 * NULL) then points into a new string (free it) holding the directory that
 * could not be made. An existing non-directory in the way gives ENOTDIR.
 */
int files_mkdirs(const char *path, mode_t mode, char **failed);

/*
 * Opens PATH for reading if it is a regular file, without ever waiting (a
 * FIFO with no writer is refused, not waited on). Returns a descriptor the
 * caller closes (close-on-exec, blocking reads), or -1 with *ERR set (free
 * it): "cannot read the file: it is a FIFO (named pipe), not a regular file"
 * and the like, without the path.
 */
int files_open_regular(const char *path, char **err);

/*
 * Opens PATH for writing if it is a regular file (emptied) or does not exist
 * (created with MODE, less the umask), without ever waiting: a FIFO, a
 * device or a folder is refused, never opened to wait for a reader or to
 * write into. Returns a descriptor the caller closes (close-on-exec,
 * blocking writes), or -1 with *ERR set (free it): "cannot write the file:
 * it is a FIFO (named pipe), not a regular file" and the like, without the
 * path.
 */
int files_create_regular(const char *path, mode_t mode, char **err);

/*
 * Reads the whole file PATH into a new NUL-terminated string (free it) and
 * its length into *LEN (if not NULL). Returns NULL with *ERR set (free it) if
 * the file cannot be read, is not a regular file (a FIFO, a device, a
 * folder: opened without blocking, so a FIFO with no writer cannot hang the
 * caller) or is larger than MAX bytes; the message does not repeat the path.
 */
char *files_read(const char *path, size_t max, size_t *len, char **err);

#endif

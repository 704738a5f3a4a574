/*
 * workspace.h — the learner's files for code exercises.
 *
 * One file per exercise: WORKSPACE/module/lesson/exercise.lua, where
 * WORKSPACE is $BACKLAB_WORKSPACE, else $XDG_DATA_HOME/backlab/workspace,
 * else ~/.local/share/backlab/workspace. `edit` writes the starter there
 * once and never overwrites the learner's work.
 */
#ifndef BACKLAB_WORKSPACE_H
#define BACKLAB_WORKSPACE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/lesson.h"

/* The file of exercise E of L (new string). */
char *workspace_path(const struct lesson *l, const struct exercise *e);
/* Creates the file from the starter if it does not exist (*CREATED says so);
 * returns its path, or NULL with *ERR. */
char *workspace_prepare(const struct lesson *l, const struct exercise *e, bool *created,
			char **err);
/*
 * Resets: `reset` puts the file of a code exercise back to the starter and
 * keeps the learner's version aside, under WORKSPACE/.kept/STAMP/ (STAMP:
 * the reset's time in ms), where `restore` finds it again.
 *
 * workspace_set_aside() moves the file of E aside under STAMP and writes the
 * starter in its place, if the file exists and differs from the starter.
 * Returns 1 when it did, 0 when there was nothing to do, -1 with *ERR.
 */
int workspace_set_aside(const struct lesson *l, const struct exercise *e, int64_t stamp,
			char **err);
/*
 * workspace_bring_back() moves the file kept under STAMP back in place. A
 * current file that is not the starter (work done since the reset) is kept
 * aside first, under NOW, and *DISPLACED says so. Returns 1 when a file came
 * back, 0 when none was kept under STAMP, -1 with *ERR.
 */
int workspace_bring_back(const struct lesson *l, const struct exercise *e, int64_t stamp,
			 int64_t now, bool *displaced, char **err);

/* The file's contents (new string), or NULL with *ERR. */
char *workspace_read(const char *path, char **err);
/* Opens PATH in $VISUAL or $EDITOR and waits for it. 0 when the editor ran;
 * -1 with *ERR when there is none or it could not start. */
int workspace_open_editor(const char *path, char **err);
/*
 * Waits until PATH is written (saved, or replaced by a rename as many editors
 * do), without polling the file: inotify on its folder. Returns 1 on a
 * change, 0 when *STOP becomes set (Ctrl-C), -1 with *ERR on failure.
 */
int workspace_wait_change(const char *path, volatile sig_atomic_t *stop, char **err);

#endif

/*
 * ptydrive.c — drive a program on a real pseudo-terminal, from a script.
 *
 *   ptydrive [-c COLS] [-r ROWS] -- PROGRAM [ARGS...] < SCRIPT
 *
 * Script lines (C escapes in strings: \r \n \t \x03 \e \\ \"):
 *   send "TEXT"          write TEXT to the terminal (keys: \x03 is Ctrl-C, \x04 Ctrl-D)
 *   expect "TEXT" [SECS] wait until TEXT appears in the output after the last
 *                        match (escape sequences removed); at most SECS,
 *                        default 30 (a bound for a hang, not a speed: it
 *                        returns as soon as TEXT is there, on any load)
 *   interrupt "TEXT" [SECS]  press Ctrl-C every 0.25 s until TEXT appears, as
 *                        expect does: on a busy machine a single Ctrl-C may
 *                        land before the program started what it should stop
 *   absent "TEXT" [SECS] wait SECS (default 0.3) and fail if TEXT appears
 *   exit CODE [SECS]     wait for the program to exit with CODE (default 30 s)
 *   sleep MS
 *   shell "COMMAND"      run COMMAND with /bin/sh (e.g. to save a file the program watches)
 *   maxwidth N           fail if any line written so far took more than N columns (as a
 *                        terminal lays it out: '\r' returns to the first column; UTF-8
 *                        characters take one column each); the widest lines are shown
 *   # comment
 * Exit status 0 when the whole script holds; otherwise 1 and a report of the
 * failed line and the end of the output. The program is killed on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUT_MAX (1 << 20)

static char out[OUT_MAX]; /* output with escape sequences removed */
static size_t nout, mark;  /* mark: where the next expect starts looking */
static int esc;            /* inside an escape sequence: 0 no, 1 after ESC, 2 CSI, 3 OSC */
static int master = -1;
static pid_t child;
static int exited = -1, status;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The columns of the lines written, as a terminal lays them out: the line
 * being written, its column, and the widest lines seen. */
#define WIDE_MAX 8
static char cur[8192];
static size_t ncur;
static int col, widest_col[WIDE_MAX];
static char widest_line[WIDE_MAX][512];
static int nwide;

static void end_line(void)
{
	cur[ncur < sizeof cur ? ncur : sizeof cur - 1] = '\0';
	if (col > 0 && (nwide < WIDE_MAX || col > widest_col[WIDE_MAX - 1])) {
		int k = nwide < WIDE_MAX ? nwide++ : WIDE_MAX - 1;
		while (k > 0 && widest_col[k - 1] < col) { /* sorted, widest first */
			widest_col[k] = widest_col[k - 1];
			memcpy(widest_line[k], widest_line[k - 1], sizeof widest_line[k]);
			k--;
		}
		widest_col[k] = col;
		snprintf(widest_line[k], sizeof widest_line[k], "%.500s", cur);
	}
	ncur = 0;
	col = 0;
}

static void track(unsigned char c)
{
	if (c == '\n') {
		end_line();
	} else if (c == '\r') { /* back to the first column: what follows is measured anew */
		end_line();
	} else if (c >= 0x20 && (c & 0xC0) != 0x80) {
		col++;
		if (ncur < sizeof cur - 1)
			cur[ncur++] = (char)c;
	} else if ((c & 0xC0) == 0x80 && ncur < sizeof cur - 1) {
		cur[ncur++] = (char)c;
	}
}

static void keep(const char *buf, size_t n)
{
	for (size_t i = 0; i < n && nout < OUT_MAX - 1; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (esc == 0 && c != 0x1B)
			track(c);
		if (esc == 1) {
			esc = c == '[' ? 2 : c == ']' ? 3 : 0;
			continue;
		}
		if (esc == 2) {
			if (c >= 0x40 && c <= 0x7E)
				esc = 0;
			continue;
		}
		if (esc == 3) {
			if (c == 7)
				esc = 0;
			continue;
		}
		if (c == 0x1B) {
			esc = 1;
			continue;
		}
		if (c == '\r' || c == 7)
			continue;
		out[nout++] = (char)c;
	}
	out[nout] = '\0';
}

/* Reads whatever is available for up to SECS; returns when the child is gone. */
static void pump(double secs)
{
	double end = now() + secs;
	int gone = 0;
	for (;;) {
		double left = end - now();
		if (left < 0)
			left = 0;
		struct pollfd p = {master, POLLIN, 0};
		int r = poll(&p, 1, (int)(left * 1000));
		if (r > 0) {
			char buf[4096];
			ssize_t n = read(master, buf, sizeof buf);
			if (n > 0)
				keep(buf, (size_t)n);
			else if (n <= 0 && errno != EINTR && errno != EAGAIN)
				gone = 1; /* EIO: the child closed the terminal */
		}
		if (exited < 0 && waitpid(child, &status, gone ? 0 : WNOHANG) == child)
			exited = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (gone)
			break;
		if (left <= 0 || (r <= 0 && exited >= 0))
			break;
	}
}

static size_t unescape(const char *s, char *d)
{
	size_t n = 0;
	while (*s && *s != '"') {
		if (*s != '\\') {
			d[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'r': d[n++] = '\r'; s++; break;
		case 'n': d[n++] = '\n'; s++; break;
		case 't': d[n++] = '\t'; s++; break;
		case 'e': d[n++] = 0x1B; s++; break;
		case 'x': {
			char hex[3] = {s[1], s[2], 0};
			d[n++] = (char)strtol(hex, NULL, 16);
			s += 3;
			break;
		}
		default: d[n++] = *s++; break;
		}
	}
	d[n] = '\0';
	return n;
}

static void fail(int lineno, const char *line)
{
	printf("ptydrive: script line %d failed: %s", lineno, line);
	size_t from = nout > 1500 ? nout - 1500 : 0;
	printf("--- output since the last match (escapes removed) ---\n%s\n---\n",
	       out + (mark > from ? mark : from));
	if (exited < 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	exit(1);
}

int main(int argc, char **argv)
{
	int cols = 80, rows = 24, i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			cols = atoi(argv[++i]);
		else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			rows = atoi(argv[++i]);
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: ptydrive [-c COLS] [-r ROWS] -- PROGRAM [ARGS...] < SCRIPT\n");
		return 2;
	}
	struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		return 2;
	}
	if (child == 0) {
		setenv("TERM", "xterm", 1);
		execvp(argv[i + 1], argv + i + 1);
		perror(argv[i + 1]);
		_exit(127);
	}
	char line[4096], text[4096];
	int lineno = 0;
	while (fgets(line, sizeof line, stdin)) {
		lineno++;
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		char *q = strchr(p, '"');
		size_t n = q ? unescape(q + 1, text) : 0;
		char *after = q ? strchr(q + 1 + strcspn(q + 1, "\""), '"') : NULL;
		double secs = 0;
		if (after && sscanf(after + 1, "%lf", &secs) != 1)
			secs = 0;
		if (strncmp(p, "send", 4) == 0) {
			if (write(master, text, n) != (ssize_t)n)
				fail(lineno, line);
			pump(0.05);
		} else if (strncmp(p, "expect", 6) == 0 || strncmp(p, "interrupt", 9) == 0) {
			int ctrl_c = p[0] == 'i';
			double end = now() + (secs > 0 ? secs : 30);
			char *hit;
			while (!(hit = strstr(out + mark, text)) && now() < end && exited < 0) {
				if (ctrl_c && write(master, "\x03", 1) != 1)
					fail(lineno, line);
				pump(ctrl_c ? 0.25 : 0.05);
			}
			if (!hit)
				pump(0.1), hit = strstr(out + mark, text);
			if (!hit)
				fail(lineno, line);
			mark = (size_t)(hit - out) + n;
		} else if (strncmp(p, "absent", 6) == 0) {
			pump(secs > 0 ? secs : 0.3);
			if (strstr(out + mark, text))
				fail(lineno, line);
		} else if (strncmp(p, "exit", 4) == 0) {
			int code = 0;
			double wait = 30;
			sscanf(p + 4, "%d %lf", &code, &wait);
			double end = now() + wait;
			while (exited < 0 && now() < end)
				pump(0.05);
			if (exited != code) {
				printf("ptydrive: exit status %d, wanted %d\n", exited, code);
				fail(lineno, line);
			}
		} else if (strncmp(p, "shell", 5) == 0) {
			if (system(text) != 0)
				fail(lineno, line);
			pump(0.05);
		} else if (strncmp(p, "maxwidth", 8) == 0) {
			int max = atoi(p + 8);
			pump(0.2);
			end_line();
			if (nwide && widest_col[0] > max) {
				printf("ptydrive: lines wider than %d columns:\n", max);
				for (int k = 0; k < nwide && widest_col[k] > max; k++)
					printf("  %3d: %s\n", widest_col[k], widest_line[k]);
				fail(lineno, line);
			}
		} else if (strncmp(p, "sleep", 5) == 0) {
			pump(atoi(p + 5) / 1000.0);
		} else {
			printf("ptydrive: unknown script line %d: %s", lineno, line);
			fail(lineno, line);
		}
	}
	if (exited < 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}

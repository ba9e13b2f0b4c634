/* SPDX-License-Identifier: MIT */
/* fuzz_main.c: replays a fuzz target's seed corpus (and the files named on the
 * command line) without libFuzzer. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_CORPUS_ROOT
#error "FUZZ_CORPUS_ROOT must name the folder of the targets' folders"
#endif

/*
 * The target's entry points, as libFuzzer calls them. The replay runs each
 * input once, in a fixed order (file names sorted), so a failure repeats.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* run_file: feeds the whole of (path) to the target. 0, or -1 if unreadable. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;

    if (!f) {
        fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *n = realloc(buf, cap ? cap * 2 : 4096);

            if (!n) {
                fprintf(stderr, "fuzz replay: %s: out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = n;
            cap = cap ? cap * 2 : 4096;
        }
        size_t n = fread(buf + len, 1, cap - len, f);

        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "fuzz replay: %s: read error\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    /* An exact-size copy: ASan then catches a read past the input's end. */
    uint8_t *exact = malloc(len ? len : 1);

    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    printf("fuzz replay: %s (%zu bytes)\n", path, len);
    fflush(stdout);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int skip_dot(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* run_dir: every plain file of (dir), sorted. The count run, or -1. */
static int run_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, skip_dot, alphasort);
    int ran = 0, rc = 0;

    if (n < 0) {
        fprintf(stderr, "fuzz replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(path) < 0)
                rc = -1;
            else
                ran++;
        }
        free(names[i]);
    }
    free(names);
    return rc < 0 ? -1 : ran;
}

/*
 * corpus_dir: the seed corpus of the target that (argv0) names: binary
 * fuzz_<input> replays FUZZ_CORPUS_ROOT/<input>/corpus (fuzz/fuzz.mk).
 */
static const char *corpus_dir(const char *argv0, char *buf, size_t len)
{
    const char *base = strrchr(argv0, '/');

    base = base ? base + 1 : argv0;
    if (strncmp(base, "fuzz_", 5) == 0)
        base += 5;
    snprintf(buf, len, "%s/%s/corpus", FUZZ_CORPUS_ROOT, base);
    return buf;
}

int main(int argc, char **argv)
{
    int ran = 0;
    char dir[4096];

    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    if (argc > 1) {
        /* Files or folders given: those only (a crash to reproduce). */
        for (int i = 1; i < argc; i++) {
            struct stat st;
            int n;

            if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
                n = run_dir(argv[i]);
            else
                n = run_file(argv[i]) < 0 ? -1 : 1;
            if (n < 0)
                return 99;
            ran += n;
        }
    } else {
        ran = run_dir(corpus_dir(argv[0], dir, sizeof(dir)));
        if (ran < 0)
            return 99;
    }
    if (ran == 0) {
        fprintf(stderr, "fuzz replay: no inputs (corpus %s)\n",
                corpus_dir(argv[0], dir, sizeof(dir)));
        return 99;
    }
    printf("fuzz replay: %d inputs, no crash\n", ran);
    return 0;
}

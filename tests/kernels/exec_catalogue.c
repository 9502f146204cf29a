/* The misbehaving-kernel catalogue for the exec tests: `exec_catalogue MODE [ARG] [hyperparameters...]`. */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

extern char** environ;

static void say(const char* text) {
    fputs(text, stdout);
    fflush(stdout);
}

static void sleep_forever(void) {
    for (;;) pause();
}

/* A crash must not leave a core file in the trial directory or wait on a core handler. */
static void no_core(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}

static void write_file(const char* name, const char* data, size_t size) {
    FILE* f = fopen(name, "wb");
    if (!f) exit(90);
    fwrite(data, 1, size, f);
    fclose(f);
}

static void write_pid_file(const char* name) {
    char text[32];
    int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
    write_file(name, text, (size_t)n);
}

/* Every list is NUL-separated so that any byte of an argument survives the round trip. */
static void dump_strings(const char* name, char** strings, int count) {
    FILE* f = fopen(name, "wb");
    if (!f) exit(90);
    for (int i = 0; count < 0 ? strings[i] != NULL : i < count; ++i) fwrite(strings[i], 1, strlen(strings[i]) + 1, f);
    fclose(f);
}

/* Descriptors beyond 0..2 with what they point to: a leaked pipe shows as `pipe:[...]`. */
static void dump_fds(const char* name) {
    FILE* f = fopen(name, "wb");
    if (!f) exit(90);
    int own = fileno(f);
    DIR* dir = opendir("/proc/self/fd");
    int dir_fd = dir ? dirfd(dir) : -1;
    struct dirent* entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        int fd = atoi(entry->d_name);
        if (entry->d_name[0] == '.' || fd <= 2 || fd == own || fd == dir_fd) continue;
        char link[64], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        fprintf(f, "%d %s\n", fd, target);
    }
    if (dir) closedir(dir);
    fclose(f);
}

/* The signal lines of /proc/self/status (SigBlk, SigIgn as hex masks) and whether this process
   leads its own process group. */
static void dump_signals_and_group(const char* name) {
    FILE* out = fopen(name, "wb");
    FILE* status = fopen("/proc/self/status", "r");
    if (!out || !status) exit(90);
    char line[512];
    while (fgets(line, sizeof line, status)) {
        if (!strncmp(line, "SigBlk:", 7) || !strncmp(line, "SigIgn:", 7)) fputs(line, out);
    }
    fclose(status);
    fprintf(out, "group_leader: %d\n", getpgrp() == getpid());
    fclose(out);
}

static void well_behaved(int argc, char** argv) {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) exit(91);
    write_file("cwd.txt", cwd, strlen(cwd));
    dump_strings("argv.bin", argv, argc);
    dump_strings("environ.bin", environ, -1);
    dump_fds("fds.txt");
    dump_signals_and_group("signals.txt");
    char byte;
    ssize_t got = read(0, &byte, 1); /* stdin must be /dev/null: EOF at once */
    printf("stdin read returned %zd\n", got);
    fprintf(stderr, "a warning on stderr\n");
    say("epoch 1 FoM: 0.5\nepoch 2 FoM: 0.25\n");
}

/* Lines of 'x' for `megabytes` MB on stdout, as fast as possible. */
static void flood(FILE* stream, long megabytes) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    for (size_t i = 99; i < sizeof block; i += 100) block[i] = '\n';
    for (long i = 0; i < megabytes; ++i) fwrite(block, 1, sizeof block, stream);
    fflush(stream);
}

/* A child that keeps stdout and stderr open and sleeps; `escape` puts it outside the group. */
static void spawn_holder(int escape, unsigned seconds) {
    pid_t pid = fork();
    if (pid == 0) {
        if (escape) setsid();
        write_pid_file(escape ? "escapee.pid" : "grandchild.pid.tmp");
        if (!escape) rename("grandchild.pid.tmp", "grandchild.pid");
        sleep(seconds);
        _exit(0);
    }
    /* The pid file must exist before the kernel exits: the test reads it afterwards. */
    const char* file = escape ? "escapee.pid" : "grandchild.pid";
    while (access(file, F_OK) != 0) usleep(1000);
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "";
    const char* arg = argc > 2 ? argv[2] : "0";

    if (!strcmp(mode, "ok")) {
        well_behaved(argc, argv);
    } else if (!strcmp(mode, "segv")) {
        no_core();
        say("FoM: 1\n");
        signal(SIGSEGV, SIG_DFL); /* a sanitizer build would catch it and exit(1) */
        raise(SIGSEGV);
    } else if (!strcmp(mode, "abort")) {
        no_core();
        abort();
    } else if (!strcmp(mode, "self_term")) {
        raise(SIGTERM);
    } else if (!strcmp(mode, "exit")) {
        say("FoM: 1.5\n");
        fprintf(stderr, "giving up with status %s\n", arg);
        return atoi(arg);
    } else if (!strcmp(mode, "hang")) {
        say("FoM: 3\n");
        sleep_forever();
    } else if (!strcmp(mode, "ignore_term")) {
        signal(SIGTERM, SIG_IGN);
        say("ignoring SIGTERM\n");
        sleep_forever();
    } else if (!strcmp(mode, "hang_with_child")) {
        spawn_holder(0, 60);
        sleep_forever();
    } else if (!strcmp(mode, "close_and_hang")) {
        fclose(stdout);
        fclose(stderr);
        sleep_forever();
    } else if (!strcmp(mode, "close_then_fom_file")) {
        fclose(stdout);
        fclose(stderr);
        usleep(300 * 1000);
        write_file("late.txt", "done", 4);
    } else if (!strcmp(mode, "no_fom")) {
        say("training... done, but no figure of merit\n");
    } else if (!strcmp(mode, "nan")) {
        say("FoM: 2\nFoM: nan\n");
    } else if (!strcmp(mode, "garbage")) {
        say("FoM: 2\nFoM: twelve\n");
    } else if (!strcmp(mode, "twice")) {
        say("FoM: 5\nsome log line\nepoch 9 FoM: 2.5  \n");
    } else if (!strcmp(mode, "inf")) {
        say("FoM: inf\n");
    } else if (!strcmp(mode, "no_newline")) {
        say("FoM: 6.5");
    } else if (!strcmp(mode, "flood")) {
        flood(stdout, atol(arg));
        flood(stderr, 4);
        say("\nFoM: 1.5\n");
    } else if (!strcmp(mode, "fom_lines")) {
        /* N FoM lines as fast as stdio writes them: `step i FoM: i`. */
        const long n = atol(arg);
        for (long i = 1; i <= n; ++i) printf("step %ld FoM: %ld\n", i, i);
        fflush(stdout);
    } else if (!strcmp(mode, "long_line")) {
        /* A megabyte of progress-bar updates (\r, no \n), then the FoM on that same line. */
        for (int i = 0; i < 10000; ++i) printf("\r%5d%% [%-90s]", i % 100, "=====>");
        say("\rFoM: 8\n");
    } else if (!strcmp(mode, "grandchild")) {
        spawn_holder(0, 60);
        say("FoM: 4\n");
    } else if (!strcmp(mode, "escapee")) {
        spawn_holder(1, 5);
        say("FoM: 4\n");
    } else if (!strcmp(mode, "stderr_only")) {
        fprintf(stderr, "error: dataset not found at /data/missing\n");
    } else if (!strcmp(mode, "quick")) {
        (void)!write(1, "FoM: 7\n", 7);
        _exit(0);
    } else if (!strcmp(mode, "quick_silent")) {
        _exit(0);
    } else if (!strcmp(mode, "sleep")) {
        usleep((useconds_t)(atof(arg) * 1e6));
        dump_fds("fds.txt");
        say("FoM: 0.125\n");
    } else {
        fprintf(stderr, "unknown mode '%s'\n", mode);
        return 64;
    }
    return 0;
}

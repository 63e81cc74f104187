/*
 * A training program for the command trainable's tests, written against tune/report.h: it
 * "trains" a loss curve one epoch at a time, writes a checkpoint folder before each result
 * line that names it, and continues from $TUNE_RESTORE_DIR. Options make it misbehave once
 * per trial (a marker file in $TUNE_TRIAL_DIR remembers that it did):
 *
 *   epoch_program --lr 0.1 [--epochs 10] [--sleep-ms 0] [--crash-at K] [--hang-at K]
 *                 [--malformed-at K] [--no-checkpoints] [--done]
 *
 * Every start appends "pid <pid> start <epoch>" to $TUNE_TRIAL_DIR/starts, and its arguments
 * to $TUNE_TRIAL_DIR/args.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tune/report.h"

static int once(const char *what) {
    char path[4096];
    FILE *marker;
    snprintf(path, sizeof path, "%s/%s", getenv("TUNE_TRIAL_DIR"), what);
    if (access(path, F_OK) == 0) return 0;
    marker = fopen(path, "w");
    if (marker) fclose(marker);
    return 1;
}

static void append(const char *file, const char *text) {
    char path[4096];
    FILE *out;
    snprintf(path, sizeof path, "%s/%s", getenv("TUNE_TRIAL_DIR"), file);
    out = fopen(path, "a");
    if (!out) exit(20);
    fputs(text, out);
    fclose(out);
}

int main(int argc, char **argv) {
    double lr = 0.1;
    int epochs = 10, sleep_ms = 0, crash_at = -1, hang_at = -1, malformed_at = -1, checkpoints = 1, done = 0;
    int epoch = 0, i;
    char line[8192] = "";
    for (i = 1; i < argc; ++i) {
        strncat(line, argv[i], sizeof line - strlen(line) - 3);
        strcat(line, " ");
    }
    for (i = 1; i < argc; ++i) {
        const char *value = i + 1 < argc ? argv[i + 1] : "0";
        if (!strcmp(argv[i], "--lr")) lr = atof(value), ++i;
        else if (!strcmp(argv[i], "--epochs")) epochs = atoi(value), ++i;
        else if (!strcmp(argv[i], "--sleep-ms")) sleep_ms = atoi(value), ++i;
        else if (!strcmp(argv[i], "--crash-at")) crash_at = atoi(value), ++i;
        else if (!strcmp(argv[i], "--hang-at")) hang_at = atoi(value), ++i;
        else if (!strcmp(argv[i], "--malformed-at")) malformed_at = atoi(value), ++i;
        else if (!strcmp(argv[i], "--no-checkpoints")) checkpoints = 0;
        else if (!strcmp(argv[i], "--done")) done = 1;
    }
    strcat(line, "\n");
    append("args", line);

    if (tune_restore_dir()) {
        char path[4096];
        FILE *state;
        snprintf(path, sizeof path, "%s/state", tune_restore_dir());
        state = fopen(path, "r");
        if (!state || fscanf(state, "%d", &epoch) != 1) {
            fprintf(stderr, "epoch_program: no state in %s\n", path);
            return 4;
        }
        fclose(state);
        printf("restored from epoch %d\n", epoch);
    }
    snprintf(line, sizeof line, "pid %ld start %d\n", (long)getpid(), epoch);
    append("starts", line);

    while (epoch < epochs) {
        const double loss = 1.0 / (1.0 + lr * (epoch + 1));
        char name[64];
        ++epoch;
        if (sleep_ms > 0) {
            struct timespec nap = {sleep_ms / 1000, (long)(sleep_ms % 1000) * 1000000L};
            nanosleep(&nap, NULL);
        }
        printf("epoch %d: training\n", epoch);  /* not a result: goes to output.log */
        fprintf(stderr, "epoch %d: stderr\n", epoch);
        fflush(stdout);
        if (epoch == crash_at && once("crashed")) {
            fprintf(stderr, "epoch_program: crashing at epoch %d\n", epoch);
            return 3;
        }
        if (epoch == hang_at && once("hung")) {
            for (;;) pause();
        }
        if (epoch == malformed_at) {
            printf("%s {\"loss\": oops}\n", tune_result_prefix());
            fflush(stdout);
        }
        snprintf(name, sizeof name, "epoch_%d", epoch);
        if (checkpoints) {
            char dir[4096], path[4200];
            FILE *state;
            if (tune_checkpoint_dir(name, dir, sizeof dir) != 0) return 5;
            snprintf(path, sizeof path, "%s/state", dir);
            state = fopen(path, "w");
            if (!state) return 6;
            fprintf(state, "%d\n", epoch);
            fclose(state);
            if (done && epoch == epochs)
                tune_report_pairs_(name, 1, "loss", loss, "epoch", (double)epoch, (const char *)NULL);
            else
                tune_report_checkpoint(name, "loss", loss, "epoch", (double)epoch);
        } else if (done && epoch == epochs) {
            tune_report_done("loss", loss, "epoch", (double)epoch);
        } else {
            tune_report("loss", loss, "epoch", (double)epoch);
        }
    }
    return 0;
}

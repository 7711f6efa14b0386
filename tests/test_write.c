/* test_write.c - writing -o OUT never destroys anything: inputs, devices, FIFOs, links, permissions. */
#define _XOPEN_SOURCE 700 /* mknod, for the device-node case */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "io/write_file.h"
#include "parley/parley.h"

/* Each test works in a fresh folder of its own. */
static int in_temp_folder(void **state)
{
    char *dir = strdup("/tmp/parley-test-write-XXXXXX");
    if (!dir || !mkdtemp(dir)) return -1;
    *state = dir;
    return chdir(dir);
}

static int remove_temp_folder(void **state)
{
    char *dir = *state;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d) closedir(d);
    int rc = chdir("/") || rmdir(dir);
    free(dir);
    return rc;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Returns the file's whole text (static buffer) or NULL when it cannot be read. */
static const char *slurp(const char *path)
{
    static char buf[65536];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The names in the current folder, sorted and joined with spaces (static buffer): no temporary is left. */
static const char *listing(void)
{
    static char buf[4096];
    struct dirent **names;
    int n = scandir(".", &names, NULL, alphasort);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (buf[0]) strcat(buf, " ");
            strcat(buf, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return buf;
}

static parley_status write_text(const char *path, const char *text, const char *input)
{
    parley_error *err = parley_error_new();
    const char *inputs[] = {input};
    parley_write_options o = {inputs, input ? 1 : 0};
    parley_status st = parley_write_file_to(path, text, strlen(text), &o, err);
    assert_true(st == PARLEY_OK || parley_error_count(err) > 0); /* a failure always says why */
    parley_error_free(err);
    return st;
}

static void a_new_file_gets_the_umask_permissions_and_no_temporary_stays(void **state)
{
    (void)state;
    mode_t old = umask(027);
    assert_int_equal(write_text("out.txt", "hello\n", NULL), PARLEY_OK);
    umask(old);
    struct stat st;
    assert_int_equal(stat("out.txt", &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_string_equal(slurp("out.txt"), "hello\n");
    assert_string_equal(listing(), "out.txt");
}

static void replacing_a_file_keeps_its_permission_bits(void **state)
{
    (void)state;
    put("out.txt", "old\n");
    assert_int_equal(chmod("out.txt", 0600), 0);
    assert_int_equal(write_text("out.txt", "new\n", NULL), PARLEY_OK);
    struct stat st;
    assert_int_equal(stat("out.txt", &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_string_equal(slurp("out.txt"), "new\n");
    assert_int_equal(chmod("out.txt", 0754), 0);
    assert_int_equal(write_text("out.txt", "newer\n", NULL), PARLEY_OK);
    assert_int_equal(stat("out.txt", &st), 0);
    assert_int_equal(st.st_mode & 07777, 0754);
    assert_string_equal(listing(), "out.txt");
}

static void the_input_itself_is_refused_and_left_byte_identical(void **state)
{
    (void)state;
    put("s.json", "{\"scenario\": 1}\n");
    assert_int_equal(link("s.json", "hard.json"), 0);
    assert_int_equal(symlink("s.json", "soft.json"), 0);
    assert_int_equal(write_text("s.json", "forecast\n", "s.json"), PARLEY_E_USAGE);
    assert_int_equal(write_text("hard.json", "forecast\n", "s.json"), PARLEY_E_USAGE);
    assert_int_equal(write_text("soft.json", "forecast\n", "s.json"), PARLEY_E_USAGE);
    assert_int_equal(write_text("s.json", "forecast\n", "soft.json"), PARLEY_E_USAGE);
    assert_int_equal(write_text("./s.json", "forecast\n", "s.json"), PARLEY_E_USAGE);
    assert_string_equal(slurp("s.json"), "{\"scenario\": 1}\n");
    struct stat st;
    assert_int_equal(lstat("soft.json", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(listing(), "hard.json s.json soft.json");
}

static void a_symlink_is_followed_and_its_target_replaced(void **state)
{
    (void)state;
    put("real.txt", "old\n");
    assert_int_equal(chmod("real.txt", 0604), 0);
    assert_int_equal(symlink("real.txt", "link1"), 0);
    assert_int_equal(symlink("link1", "link2"), 0); /* a chain of two */
    assert_int_equal(write_text("link2", "new\n", NULL), PARLEY_OK);
    struct stat st;
    assert_int_equal(lstat("link2", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat("link1", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp("real.txt"), "new\n");
    assert_int_equal(stat("real.txt", &st), 0);
    assert_int_equal(st.st_mode & 07777, 0604);
    /* a dangling link names the file to create */
    assert_int_equal(symlink("fresh.txt", "dangling"), 0);
    assert_int_equal(write_text("dangling", "made\n", NULL), PARLEY_OK);
    assert_string_equal(slurp("fresh.txt"), "made\n");
    assert_int_equal(lstat("dangling", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(listing(), "dangling fresh.txt link1 link2 real.txt");
}

static void a_planted_link_at_the_old_temporary_name_is_not_followed(void **state)
{
    (void)state;
    put("victim.txt", "precious\n");
    char planted[64];
    snprintf(planted, sizeof planted, "out.txt.tmp-%ld", (long)getpid());
    assert_int_equal(symlink("victim.txt", planted), 0);
    assert_int_equal(write_text("out.txt", "forecast\n", NULL), PARLEY_OK);
    assert_string_equal(slurp("victim.txt"), "precious\n");
    assert_string_equal(slurp("out.txt"), "forecast\n");
}

static void *drain_fifo(void *arg)
{
    static char got[256];
    int fd = open(arg, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, got, sizeof got - 1) : -1;
    got[n > 0 ? n : 0] = '\0';
    if (fd >= 0) close(fd);
    return got;
}

static void a_fifo_is_written_in_place_and_stays_a_fifo(void **state)
{
    (void)state;
    assert_int_equal(mkfifo("pipe", 0600), 0);
    pthread_t reader;
    assert_int_equal(pthread_create(&reader, NULL, drain_fifo, "pipe"), 0);
    assert_int_equal(write_text("pipe", "through the pipe\n", NULL), PARLEY_OK);
    void *got;
    assert_int_equal(pthread_join(reader, &got), 0);
    assert_string_equal(got, "through the pipe\n");
    struct stat st;
    assert_int_equal(lstat("pipe", &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_string_equal(listing(), "pipe");
}

static void a_device_node_is_written_in_place_and_stays_a_device(void **state)
{
    (void)state;
    if (geteuid() != 0) skip(); /* only root may make a device node; only root could replace one */
    assert_int_equal(mknod("null", S_IFCHR | 0666, makedev(1, 3)), 0); /* a private /dev/null */
    assert_int_equal(write_text("null", "gone\n", NULL), PARLEY_OK);
    struct stat st;
    assert_int_equal(lstat("null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_string_equal(listing(), "null");
}

static void a_folder_or_a_missing_folder_is_a_usage_error(void **state)
{
    (void)state;
    assert_int_equal(mkdir("sub", 0700), 0);
    assert_int_equal(write_text("sub", "x\n", NULL), PARLEY_E_USAGE);
    assert_int_equal(write_text("nosuch/out.txt", "x\n", NULL), PARLEY_E_USAGE);
    assert_string_equal(listing(), "sub");
    assert_int_equal(rmdir("sub"), 0);
}

static void interrupt_now(const char *tmp)
{
    (void)tmp;
    raise(SIGTERM);
}

static void sigterm_during_a_write_removes_the_temporary_and_keeps_the_old_file(void **state)
{
    (void)state;
    put("out.txt", "old\n");
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        parley__write_hook = interrupt_now;
        parley_error *err = parley_error_new();
        parley_write_file("out.txt", "new\n", 4, err);
        _exit(0); /* not reached: the signal ends the child */
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_string_equal(slurp("out.txt"), "old\n");
    assert_string_equal(listing(), "out.txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_new_file_gets_the_umask_permissions_and_no_temporary_stays, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(replacing_a_file_keeps_its_permission_bits, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(the_input_itself_is_refused_and_left_byte_identical, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(a_symlink_is_followed_and_its_target_replaced, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(a_planted_link_at_the_old_temporary_name_is_not_followed, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(a_fifo_is_written_in_place_and_stays_a_fifo, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(a_device_node_is_written_in_place_and_stays_a_device, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(a_folder_or_a_missing_folder_is_a_usage_error, in_temp_folder, remove_temp_folder),
        cmocka_unit_test_setup_teardown(sigterm_during_a_write_removes_the_temporary_and_keeps_the_old_file, in_temp_folder, remove_temp_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

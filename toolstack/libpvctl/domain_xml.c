/* SPDX-License-Identifier: MIT */
/* domain_xml.c: load a libvirt-style domain XML file into a domain_def. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "domain_fields.h"
#include "domain_files.h"
#include "domain_xml.h"
#include "host.h"
#include "xml_structure.h"

#ifndef PVHV_PKGDATADIR
#error "PVHV_PKGDATADIR must name the installed schema folder"
#endif
#ifndef PVHV_SRCDATADIR
#error "PVHV_SRCDATADIR must name the schema folder of the source tree"
#endif

#define SCHEMA_DIRS_MAX 3

/* libxml2 2.12 made the error handed to structured handlers const. */
#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST const
#else
#define XML_ERROR_CONST
#endif

/*
 * No network, and entities are not substituted (no XML_PARSE_NOENT): a
 * document type declaration is refused after parsing anyway. BIG_LINES keeps
 * line numbers right past 65535.
 */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* Collects the first error libxml2 reports instead of printing it. */
struct xml_errors {
    const char *file; /* the document, as the user named it */
    const char *what; /* "not well-formed XML", ... */
    struct pvctl_error *err;
    bool have;
};

static void on_xml_error(void *ctx, XML_ERROR_CONST xmlError *e)
{
    struct xml_errors *xe = ctx;
    const xmlNode *node = e->node;
    char msg[1024];
    size_t len;

    if (xe->have || e->level == XML_ERR_WARNING)
        return;
    /* Parser errors carry the parser; its node is the open element. */
    if (!node && e->domain == XML_FROM_PARSER && e->ctxt)
        node = ((xmlParserCtxtPtr)e->ctxt)->node;
    snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        msg[--len] = '\0';
    if (node && node->type == XML_ELEMENT_NODE)
        pvctl_error_set(xe->err, "%s:%d: <%s>: %s: %s", xe->file, e->line,
                        node->name, xe->what, msg);
    else
        pvctl_error_set(xe->err, "%s:%d: %s: %s", xe->file, e->line, xe->what,
                        msg);
    xe->have = true;
}

static xmlDoc *read_fd(int fd, const char *file, struct pvctl_error *err)
{
    struct xml_errors xe = {file, "not well-formed XML", err, false};
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDoc *doc = NULL;

    if (!ctxt) {
        pvctl_error_set(err, "%s: out of memory", file);
        return NULL;
    }
    xmlSetStructuredErrorFunc(&xe, on_xml_error);
    doc = xmlCtxtReadFd(ctxt, fd, file, NULL, PARSE_OPTIONS);
    if (doc && !ctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlSetStructuredErrorFunc(saved_ctx, saved);
    if (!doc && !xe.have)
        pvctl_error_set(err, "%s: not well-formed XML", file);
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/*
 * parse: reads (file) as XML, opened once and without blocking (a FIFO
 * named as a domain file must not hang pvctl). Returns 0, -errno (cannot
 * open), -EISDIR or -EINVAL (not a regular file), -EINVAL (not XML).
 */
static int parse(const char *file, xmlDoc **doc, struct pvctl_error *err)
{
    char why[256];
    struct stat st;
    int fd, ret = 0;

    fd = domain_file_open(file, O_RDONLY, &st);
    if (fd < 0) {
        pvctl_error_set(err, "%s: cannot open: %s", file,
                        host_strerror(-fd, why, sizeof(why)));
        return fd;
    }
    if (S_ISDIR(st.st_mode)) {
        pvctl_error_set(err, "%s: is a folder; allowed: a domain XML file",
                        file);
        ret = -EISDIR;
    } else if (!S_ISREG(st.st_mode)) {
        pvctl_error_set(err, "%s: is %s; allowed: a domain XML file", file,
                        domain_file_type(st.st_mode));
        ret = -EINVAL;
    } else {
        *doc = read_fd(fd, file, err);
        ret = *doc ? 0 : -EINVAL;
    }
    close(fd);
    return ret;
}

static int refuse_dtd(const xmlDoc *doc, const char *file,
                      struct pvctl_error *err)
{
    if (!doc->intSubset && !doc->extSubset)
        return 0;
    pvctl_error_set(
        err,
        "%s: <!DOCTYPE>: document type declarations are not allowed; allowed: a plain <domain> document",
        file);
    return -EINVAL;
}

size_t domain_xml_schema_dirs(const char **dirs, size_t max)
{
    const char *env = getenv("PVHV_DATADIR");
    const char *all[SCHEMA_DIRS_MAX];
    size_t n = 0, i;

    if (env && env[0])
        all[n++] = env;
    all[n++] = PVHV_PKGDATADIR;
    all[n++] = PVHV_SRCDATADIR;
    for (i = 0; i < n && i < max; i++)
        dirs[i] = all[i];
    return i;
}

/*
 * find_schema: the first readable schema file in (dirs), into (path). Returns
 * 0, or -ENOPKG with every path tried and why in (err).
 */
static int find_schema(const char *const *dirs, size_t ndirs, char *path,
                       size_t len, struct pvctl_error *err)
{
    size_t i;

    pvctl_error_set(
        err, "cannot find the domain schema %s; tried:", DOMAIN_SCHEMA_FILE);
    for (i = 0; i < ndirs; i++) {
        snprintf(path, len, "%s/%s", dirs[i], DOMAIN_SCHEMA_FILE);
        if (access(path, R_OK) == 0)
            return 0;
        pvctl_error_append(err, "%s %s (%s)", i ? "," : "", path,
                           strerror(errno));
    }
    pvctl_error_append(err, "; set PVHV_DATADIR to the folder that holds %s",
                       DOMAIN_SCHEMA_FILE);
    return -ENOPKG;
}

static int load_schema(const char *const *dirs, size_t ndirs, xmlDoc **rng,
                       struct pvctl_error *err)
{
    char path[DOMAIN_PATH_MAX];
    int ret;

    ret = find_schema(dirs, ndirs, path, sizeof(path), err);
    if (ret)
        return ret;
    ret = parse(path, rng, err);
    /* A broken schema is the installation's fault, not the domain's. */
    return ret ? -ENOPKG : 0;
}

/*
 * validate: (doc) against the RelaxNG grammar (rng). libxml2 copies (rng)
 * while it compiles it. Returns 0, -EINVAL, or -ENOPKG when the schema
 * itself does not compile.
 */
static int validate(const xmlDoc *rng, xmlDoc *doc, const char *file,
                    struct pvctl_error *err)
{
    struct xml_errors xe = {rng->URL ? (const char *)rng->URL : "schema",
                            "invalid RelaxNG schema", err, false};
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewDocParserCtxt((xmlDoc *)rng);
    xmlRelaxNGValidCtxtPtr vctxt = NULL;
    xmlRelaxNGPtr schema = NULL;
    int ret = -ENOPKG;

    if (pctxt) {
        xmlRelaxNGSetParserStructuredErrors(pctxt, on_xml_error, &xe);
        schema = xmlRelaxNGParse(pctxt);
    }
    if (schema)
        vctxt = xmlRelaxNGNewValidCtxt(schema);
    if (vctxt) {
        xe = (struct xml_errors){file, "does not match the schema", err, false};
        xmlRelaxNGSetValidStructuredErrors(vctxt, on_xml_error, &xe);
        ret = xmlRelaxNGValidateDoc(vctxt, doc) == 0 ? 0 : -EINVAL;
        if (ret && !xe.have)
            pvctl_error_set(err, "%s: does not match the schema", file);
    } else if (!xe.have) {
        pvctl_error_set(err, "%s: cannot compile the schema", xe.file);
    }
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return ret;
}

int domain_xml_load_from(const char *path, const char *const *dirs,
                         size_t ndirs, struct domain_def *def,
                         struct pvctl_error *err)
{
    xmlDoc *doc = NULL, *rng = NULL;
    int ret;

    ret = parse(path, &doc, err);
    if (!ret)
        ret = refuse_dtd(doc, path, err);
    if (!ret)
        ret = load_schema(dirs, ndirs, &rng, err);
    if (!ret)
        ret = xml_structure_check(rng, doc, path, err);
    if (!ret)
        ret = validate(rng, doc, path, err);
    if (!ret)
        ret = domain_fields_extract(doc, path, def, err);
    xmlFreeDoc(rng);
    xmlFreeDoc(doc);
    return ret;
}

int domain_xml_load(const char *path, struct domain_def *def,
                    struct pvctl_error *err)
{
    const char *dirs[SCHEMA_DIRS_MAX];
    size_t n = domain_xml_schema_dirs(dirs, SCHEMA_DIRS_MAX);

    return domain_xml_load_from(path, dirs, n, def, err);
}

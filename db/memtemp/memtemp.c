/*
** agencydesk-memtemp: a SQLite VFS that keeps every temporary file in memory and passes every named file
** (the store, its WAL and shared memory) to the operating system's VFS unchanged.
**
** Why: SQLite's sorter builds an index (or sorts a large result) in runs that it writes to temporary
** files and merges. With temp_store=MEMORY it never writes runs at all: it keeps one malloc'd record per
** row and merge-sorts a linked list of a million records, which is cache-hostile and ~2x slower on a
** million-case import; it also cannot use a second thread. With temp_store=FILE the runs go to real files,
** and SQLite3 Multiple Ciphers does not encrypt temporary files: index keys (phone and ID numbers, names)
** would be written to disk in plain text. Behind this VFS they are files that live in this process's
** memory only, and are wiped when closed.
**
** Stack: agencydesk-memtemp (this file: temporary files) -> multipleciphers (SQLite3 Multiple Ciphers:
** encryption of the store, its journal and WAL) -> the OS VFS. Named files are opened by the VFS below
** into the caller's file object, so SQLite3 Multiple Ciphers sees its own files exactly as without this
** layer. It becomes the process's default VFS, once; the library pins itself so that closing the
** connection that loaded it never unloads code the VFS points to.
*/
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* dladdr */
#endif
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#define MEMTEMP_NAME "agencydesk-memtemp"
#define CHUNK_BYTES (64 * 1024)

typedef struct MemFile {
  sqlite3_file base;
  unsigned char **chunks; /* chunk i holds bytes [i*CHUNK_BYTES, (i+1)*CHUNK_BYTES) */
  sqlite3_int64 nChunk;   /* chunks allocated */
  sqlite3_int64 nSlot;    /* capacity of chunks[] */
  sqlite3_int64 size;     /* file size in bytes */
} MemFile;

/* The VFS below: SQLite3 Multiple Ciphers' default one. */
static sqlite3_vfs *pOsVfs = 0;

/* Process-wide counters (memtemp_stats()): files opened, open now, bytes held now, peak bytes held. */
static sqlite3_mutex *pStatMutex = 0;
static sqlite3_int64 nOpened = 0, nOpen = 0, nBytes = 0, nPeak = 0;

static void statAdd(sqlite3_int64 files, sqlite3_int64 open, sqlite3_int64 bytes) {
  sqlite3_mutex_enter(pStatMutex);
  nOpened += files;
  nOpen += open;
  nBytes += bytes;
  if (nBytes > nPeak) nPeak = nBytes;
  sqlite3_mutex_leave(pStatMutex);
}

/* Frees chunks from index `from` on, wiping them first. */
static void freeChunks(MemFile *p, sqlite3_int64 from) {
  sqlite3_int64 i;
  for (i = from; i < p->nChunk; i++) {
    memset(p->chunks[i], 0, CHUNK_BYTES);
    sqlite3_free(p->chunks[i]);
    p->chunks[i] = 0;
  }
  if (p->nChunk > from) {
    statAdd(0, 0, -(p->nChunk - from) * (sqlite3_int64)CHUNK_BYTES);
    p->nChunk = from;
  }
}

/* Makes sure chunks exist for bytes [0, end), zero-filled. */
static int ensureChunks(MemFile *p, sqlite3_int64 end) {
  sqlite3_int64 need = (end + CHUNK_BYTES - 1) / CHUNK_BYTES;
  sqlite3_int64 added = 0;
  if (need > p->nSlot) {
    sqlite3_int64 n = p->nSlot ? p->nSlot * 2 : 16;
    unsigned char **a;
    while (n < need) n *= 2;
    a = (unsigned char **)sqlite3_realloc64(p->chunks, (sqlite3_uint64)n * sizeof(unsigned char *));
    if (!a) return SQLITE_IOERR_NOMEM;
    p->chunks = a;
    p->nSlot = n;
  }
  while (p->nChunk < need) {
    unsigned char *c = (unsigned char *)sqlite3_malloc64(CHUNK_BYTES);
    if (!c) {
      statAdd(0, 0, added * CHUNK_BYTES);
      return SQLITE_IOERR_NOMEM;
    }
    memset(c, 0, CHUNK_BYTES);
    p->chunks[p->nChunk++] = c;
    added++;
  }
  if (added) statAdd(0, 0, added * CHUNK_BYTES);
  return SQLITE_OK;
}

static int memClose(sqlite3_file *f) {
  MemFile *p = (MemFile *)f;
  freeChunks(p, 0);
  sqlite3_free(p->chunks);
  p->chunks = 0;
  p->nSlot = 0;
  p->size = 0;
  statAdd(0, -1, 0);
  return SQLITE_OK;
}

static int memRead(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off) {
  MemFile *p = (MemFile *)f;
  unsigned char *out = (unsigned char *)buf;
  int rc = SQLITE_OK;
  if (off + amt > p->size) {
    /* SQLite expects the missing part zero-filled on a short read. */
    sqlite3_int64 have = p->size > off ? p->size - off : 0;
    memset(out + have, 0, (size_t)(amt - have));
    amt = (int)have;
    rc = SQLITE_IOERR_SHORT_READ;
  }
  while (amt > 0) {
    sqlite3_int64 i = off / CHUNK_BYTES;
    int at = (int)(off % CHUNK_BYTES);
    int n = CHUNK_BYTES - at < amt ? CHUNK_BYTES - at : amt;
    memcpy(out, p->chunks[i] + at, (size_t)n);
    out += n;
    off += n;
    amt -= n;
  }
  return rc;
}

static int memWrite(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off) {
  MemFile *p = (MemFile *)f;
  const unsigned char *in = (const unsigned char *)buf;
  int rc = ensureChunks(p, off + amt);
  if (rc != SQLITE_OK) return rc;
  if (off + amt > p->size) p->size = off + amt;
  while (amt > 0) {
    sqlite3_int64 i = off / CHUNK_BYTES;
    int at = (int)(off % CHUNK_BYTES);
    int n = CHUNK_BYTES - at < amt ? CHUNK_BYTES - at : amt;
    memcpy(p->chunks[i] + at, in, (size_t)n);
    in += n;
    off += n;
    amt -= n;
  }
  return SQLITE_OK;
}

/* Only shrinks: SQLite grows files by writing (as its own memjournal does). Raising `size` here without
** chunks behind it would make memRead read chunks that do not exist. */
static int memTruncate(sqlite3_file *f, sqlite3_int64 size) {
  MemFile *p = (MemFile *)f;
  if (size < p->size) {
    sqlite3_int64 keep = (size + CHUNK_BYTES - 1) / CHUNK_BYTES;
    freeChunks(p, keep);
    /* What follows the new end reads as zeros if the file grows again. */
    if (size % CHUNK_BYTES) memset(p->chunks[keep - 1] + size % CHUNK_BYTES, 0, (size_t)(CHUNK_BYTES - size % CHUNK_BYTES));
    p->size = size;
  }
  return SQLITE_OK;
}

static int memSync(sqlite3_file *f, int flags) {
  (void)f;
  (void)flags;
  return SQLITE_OK;
}

static int memFileSize(sqlite3_file *f, sqlite3_int64 *pSize) {
  *pSize = ((MemFile *)f)->size;
  return SQLITE_OK;
}

static int memLock(sqlite3_file *f, int level) {
  (void)f;
  (void)level;
  return SQLITE_OK;
}

static int memCheckReservedLock(sqlite3_file *f, int *pResOut) {
  (void)f;
  *pResOut = 0;
  return SQLITE_OK;
}

static int memFileControl(sqlite3_file *f, int op, void *arg) {
  (void)f;
  if (op == SQLITE_FCNTL_VFSNAME) {
    *(char **)arg = sqlite3_mprintf("%s", MEMTEMP_NAME);
    return SQLITE_OK;
  }
  return SQLITE_NOTFOUND;
}

static int memSectorSize(sqlite3_file *f) {
  (void)f;
  return 4096;
}

static int memDeviceCharacteristics(sqlite3_file *f) {
  (void)f;
  return 0;
}

static const sqlite3_io_methods memMethods = {
  1, memClose, memRead, memWrite, memTruncate, memSync, memFileSize, memLock, memLock, memCheckReservedLock,
  memFileControl, memSectorSize, memDeviceCharacteristics, 0, 0, 0, 0, 0, 0,
};

/* A file without a name is temporary: in memory. A named one is the VFS below's own file, unchanged. */
static int vfsOpen(sqlite3_vfs *vfs, const char *zName, sqlite3_file *f, int flags, int *pOutFlags) {
  (void)vfs;
  if (zName == 0) {
    MemFile *p = (MemFile *)f;
    memset(p, 0, sizeof(*p));
    p->base.pMethods = &memMethods;
    if (pOutFlags) *pOutFlags = flags;
    statAdd(1, 1, 0);
    return SQLITE_OK;
  }
  return pOsVfs->xOpen(pOsVfs, zName, f, flags, pOutFlags);
}

static int vfsDelete(sqlite3_vfs *v, const char *z, int syncDir) { (void)v; return pOsVfs->xDelete(pOsVfs, z, syncDir); }
static int vfsAccess(sqlite3_vfs *v, const char *z, int flags, int *pRes) { (void)v; return pOsVfs->xAccess(pOsVfs, z, flags, pRes); }
static int vfsFullPathname(sqlite3_vfs *v, const char *z, int n, char *out) { (void)v; return pOsVfs->xFullPathname(pOsVfs, z, n, out); }
static void *vfsDlOpen(sqlite3_vfs *v, const char *z) { (void)v; return pOsVfs->xDlOpen(pOsVfs, z); }
static void vfsDlError(sqlite3_vfs *v, int n, char *z) { (void)v; pOsVfs->xDlError(pOsVfs, n, z); }
static void (*vfsDlSym(sqlite3_vfs *v, void *h, const char *z))(void) { (void)v; return pOsVfs->xDlSym(pOsVfs, h, z); }
static void vfsDlClose(sqlite3_vfs *v, void *h) { (void)v; pOsVfs->xDlClose(pOsVfs, h); }
static int vfsRandomness(sqlite3_vfs *v, int n, char *z) { (void)v; return pOsVfs->xRandomness(pOsVfs, n, z); }
static int vfsSleep(sqlite3_vfs *v, int us) { (void)v; return pOsVfs->xSleep(pOsVfs, us); }
static int vfsCurrentTime(sqlite3_vfs *v, double *t) { (void)v; return pOsVfs->xCurrentTime(pOsVfs, t); }
static int vfsGetLastError(sqlite3_vfs *v, int n, char *z) { (void)v; return pOsVfs->xGetLastError ? pOsVfs->xGetLastError(pOsVfs, n, z) : 0; }
static int vfsCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *t) {
  (void)v;
  if (pOsVfs->iVersion >= 2 && pOsVfs->xCurrentTimeInt64) return pOsVfs->xCurrentTimeInt64(pOsVfs, t);
  {
    double d;
    int rc = pOsVfs->xCurrentTime(pOsVfs, &d);
    *t = (sqlite3_int64)(d * 86400000.0);
    return rc;
  }
}

static sqlite3_vfs memtempVfs = {
  2, 0, 0, 0, MEMTEMP_NAME, 0, vfsOpen, vfsDelete, vfsAccess, vfsFullPathname, vfsDlOpen, vfsDlError, vfsDlSym,
  vfsDlClose, vfsRandomness, vfsSleep, vfsCurrentTime, vfsGetLastError, vfsCurrentTimeInt64, 0, 0, 0,
};

/* memtemp_stats(): '{"opened":…,"open":…,"bytes":…,"peakBytes":…}' for this process. */
static void statsFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  char *z;
  (void)argc;
  (void)argv;
  sqlite3_mutex_enter(pStatMutex);
  z = sqlite3_mprintf("{\"opened\":%lld,\"open\":%lld,\"bytes\":%lld,\"peakBytes\":%lld}", nOpened, nOpen, nBytes, nPeak);
  sqlite3_mutex_leave(pStatMutex);
  if (z == 0) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_text(ctx, z, -1, sqlite3_free);
}

/* memtemp_serves(): 1 if this connection's temporary files go through this VFS (it is the connection's
** VFS, and still the default), else 0. A store runs temp_store=FILE only after this said 1. */
static void servesFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3_vfs *p = 0;
  int rc = sqlite3_file_control(sqlite3_context_db_handle(ctx), "main", SQLITE_FCNTL_VFS_POINTER, &p);
  (void)argc;
  (void)argv;
  sqlite3_result_int(ctx, rc == SQLITE_OK && p == &memtempVfs && sqlite3_vfs_find(0) == &memtempVfs);
}

/* Keeps this library loaded for the life of the process (the registered VFS points into it): 1 if done. */
static int pinSelf(void) {
#ifdef _WIN32
  HMODULE h;
  return GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN, (LPCSTR)(void *)&vfsOpen, &h) != 0;
#else
  Dl_info info;
  return dladdr((void *)&vfsOpen, &info) && info.dli_fname && dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE) != 0;
#endif
}

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int sqlite3_memtemp_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  int rc = SQLITE_OK;
  /* One SQLite per process: this library's VFS calls the SQLite that loaded it first. */
  if (sqlite3_api != 0 && sqlite3_api != pApi) {
    *pzErrMsg = pApi->mprintf("memtemp: already loaded by another copy of SQLite in this process");
    return SQLITE_ERROR;
  }
  SQLITE_EXTENSION_INIT2(pApi);
  sqlite3_mutex_enter(sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1));
  if (sqlite3_vfs_find(MEMTEMP_NAME) == 0) {
    pOsVfs = sqlite3_vfs_find(0);
    /* Only on top of the encrypting VFS: the store must never be opened without it. */
    if (pOsVfs == 0 || strncmp(pOsVfs->zName, "multipleciphers", 15) != 0) {
      rc = SQLITE_ERROR;
      *pzErrMsg = sqlite3_mprintf("memtemp: the default VFS is %s, not SQLite3 Multiple Ciphers'", pOsVfs ? pOsVfs->zName : "missing");
    } else if (!pinSelf()) {
      /* Unpinned, closing the loading connection would unload code the default VFS points into. */
      rc = SQLITE_ERROR;
      *pzErrMsg = sqlite3_mprintf("memtemp: cannot keep the library loaded");
    } else {
      pStatMutex = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP2);
      memtempVfs.szOsFile = pOsVfs->szOsFile > (int)sizeof(MemFile) ? pOsVfs->szOsFile : (int)sizeof(MemFile);
      memtempVfs.mxPathname = pOsVfs->mxPathname;
      rc = sqlite3_vfs_register(&memtempVfs, 1);
    }
  }
  if (rc == SQLITE_OK && sqlite3_vfs_find(0) != &memtempVfs) {
    rc = SQLITE_ERROR;
    *pzErrMsg = sqlite3_mprintf("memtemp: another VFS became the default");
  }
  sqlite3_mutex_leave(sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1));
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "memtemp_stats", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0, statsFunc, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "memtemp_serves", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0, servesFunc, 0, 0);
  return rc;
}

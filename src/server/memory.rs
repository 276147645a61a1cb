//! Memory back to the system when documents close, and the allocator set for the
//! server's threads (see [`tune_allocator`] and [`start_workers`]).
//!
//! glibc's allocator keeps what is freed in its arenas, for reuse: after documents of
//! tens of megabytes, or two hundred articles, are closed, the process would keep its
//! peak for the rest of the session. `malloc_trim` hands back what is free. It is asked
//! for once a burst of closes has settled (half a second), not per close: it walks the
//! whole heap.
//!
//! What stays is what the process keeps on purpose: the gazetteer, and the caches of
//! the regular expressions, which grow to their size with the first documents (one per
//! thread that ran an expression at the same time as another).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// How long after a close the trim waits: for more closes, and for the analyses of the
/// closed documents (which stop early) to drop what they hold. (The blocking pool's
/// threads may still be alive then, see `run_stdio`'s keep-alive: what each keeps in its
/// cache of freed blocks is a few hundred kilobytes at most, and `malloc_trim` hands
/// back the free memory of every arena, theirs included.)
const SETTLE: Duration = Duration::from_millis(500);

static PENDING: AtomicBool = AtomicBool::new(false);
static TRIMS: AtomicU64 = AtomicU64::new(0);

/// Trims the heap soon, once, however many documents close meanwhile.
pub fn release_soon() {
    if PENDING.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        PENDING.store(false, Ordering::SeqCst);
        return;
    };
    rt.spawn(async {
        tokio::time::sleep(SETTLE).await;
        PENDING.store(false, Ordering::SeqCst);
        tokio::task::spawn_blocking(release);
    });
}

/// Hands the allocator's free memory back to the system (glibc only; elsewhere the
/// allocator does as it does).
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free; it takes the
    // allocator's own locks, like any allocation.
    unsafe {
        libc::malloc_trim(0);
    }
    TRIMS.fetch_add(1, Ordering::SeqCst);
}

/// How many workers share out the work on a large document (its two halves parsed, its
/// check's batches, its answer's runs): one per core, four at most. The server works on
/// one document at a time at this size, in halves or in a few dozen batches; more
/// workers would each hold an arena (see [`tune_allocator`]) for little.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

/// Sets glibc's allocator for a server that holds documents of megabytes. Call it before
/// any thread but this one starts, then [`start_workers`]. Each setting given in the
/// environment (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`)
/// wins over ours.
///
/// - **Arenas: one per worker, and one for every other thread.** By default glibc opens
///   up to eight per core, one per thread that allocates while another does: the
///   blocking pool's threads each took one, and what a thread freed in its arena stayed
///   there, spread over many half-used heaps (a 10 MB article: peak 105 MiB against 77
///   with the cap).
/// - **Blocks of 2 MiB and more are mapped on their own, and an arena keeps at most
///   4 MiB free at its top.** By default both bounds follow the largest block freed: once
///   a 10 MB document's text had been freed, blocks of up to 10 MB came from the arenas,
///   which each kept up to 20 MB free. An outline's answers (4.6 MB at 10 MB, one built
///   while the last is kept) left the process at 85–99 MiB; with the bounds fixed,
///   63–84 MiB over three runs, and 24–34 MiB after the document's close instead of
///   31–44. A keystroke's
///   answer (1.5 MB at 10 MB) stays under the bound and is not mapped afresh each time.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let set = |env: &str, param: libc::c_int, value: usize| {
            if std::env::var_os(env).is_none() {
                // SAFETY: mallopt only sets an allocator parameter; it is called before
                // any thread but this one allocates.
                unsafe {
                    libc::mallopt(param, value as libc::c_int);
                }
            }
        };
        set("MALLOC_ARENA_MAX", libc::M_ARENA_MAX, workers() + 1);
        set("MALLOC_MMAP_THRESHOLD_", libc::M_MMAP_THRESHOLD, 2 << 20);
        set("MALLOC_TRIM_THRESHOLD_", libc::M_TRIM_THRESHOLD, 4 << 20);
    }
}

/// Starts rayon's workers, each allocating once before anything else runs, so that each
/// opens an arena of its own.
///
/// glibc gives a thread an arena at its first allocation: a new one while there are
/// fewer than the cap, then, round robin, one that others hold already, for the thread's
/// life. When two threads that split a document's work shared one (capped at two
/// arenas, about every other opening), each allocation waited for the other's: an
/// opening's first check of 10 MB went from 22–28 to 41–56 ms, with 300–800 waits on the
/// arena's lock. Started here, first, the workers take the new arenas; the threads
/// started later (tokio's) share them and the main one, and wait, or do little, while
/// the workers split a document's work.
pub fn start_workers() {
    let n = workers();
    let ready = std::sync::Arc::new(std::sync::Barrier::new(n + 1));
    let started = ready.clone();
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("newsls-worker-{i}"))
        .start_handler(move |_| {
            std::hint::black_box(Vec::<u8>::with_capacity(64));
            started.wait();
        })
        .build_global();
    match built {
        Ok(()) => {
            ready.wait();
        }
        // Already built (a second server in one process, as in tests): its workers have
        // their arenas already.
        Err(e) => tracing::debug!("workers already started: {e}"),
    }
}

/// How many trims have run (for `newsls/debug/counters`).
pub fn trims() -> u64 {
    TRIMS.load(Ordering::SeqCst)
}

/// Bytes the allocator has handed out and not had back (glibc's `mallinfo2`): the
/// memory the process holds, without what the allocator keeps free for reuse. `None`
/// elsewhere. For `newsls/debug/counters`; it walks every arena.
pub fn heap_in_use() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 only reads the allocator's statistics, under its locks.
        let info = unsafe { libc::mallinfo2() };
        Some((info.uordblks + info.hblkhd) as u64)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}

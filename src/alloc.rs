//! The binary's global allocator: the system allocator, plus a hint that lets Linux back large
//! blocks (column buffers of a million rows) with transparent huge pages.
//!
//! A million-row column is megabytes of fresh memory, and the kernel faults it in 4 KiB at a
//! time: at a million responses that was a third of `analyze`'s run time, in the kernel.
//! `madvise(MADV_HUGEPAGE)` on the 2 MiB-aligned interior of a block of 2 MiB or more lets each
//! fault map 2 MiB instead, where the system's THP mode is `madvise` or `always`. It is only a
//! hint: with THP off, or on other systems, this is the plain system allocator.

use std::alloc::{GlobalAlloc, Layout, System};

/// See the module documentation.
pub struct Allocator;

/// Blocks at least this big are advised.
const ADVISE_MIN: usize = 2 << 20;

#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, len: usize) {
    const HUGE: usize = 2 << 20;
    let start = (ptr as usize).next_multiple_of(HUGE);
    let end = (ptr as usize + len) & !(HUGE - 1);
    if end > start {
        // SAFETY: the range lies inside a block the system allocator just handed out, and
        // MADV_HUGEPAGE changes neither its contents nor its mapping; a failure is ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_ptr: *mut u8, _len: usize) {}

// SAFETY: every call is forwarded to `System` with the same arguments; `advise` only adds a
// hint on memory the returned block owns.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        if layout.size() >= ADVISE_MIN && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc_zeroed(layout) };
        if layout.size() >= ADVISE_MIN && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if new_size >= ADVISE_MIN && !p.is_null() {
            advise(p, new_size);
        }
        p
    }
}

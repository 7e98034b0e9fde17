package analytics

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing f's dirty pages to the
// disk and returns at once. A working copy is made without a sync, but
// DuckDB's first commit syncs it anyway: 1.3 s for an 800 MB file when the
// whole copy was still in memory, most of which the writeback started here
// has done by then.
func startWriteback(f *os.File) {
	_ = unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WRITE) // a hint: on failure the commit syncs as before
}

//go:build !linux

package analytics

// startWriteback does nothing where sync_file_range is missing: the first
// commit syncs the working copy.
func startWriteback(string) {}

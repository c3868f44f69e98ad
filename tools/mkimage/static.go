// Checking that busybox is statically linked (reference
// docs/kernels.md §5: after pivot_root a dynamic binary
// fails with "not found", because its ELF interpreter, ld-linux.so, is
// looked up inside the new root, and our rootfs has no libc).
package main

import (
	"debug/elf"
	"fmt"
)

// checkStatic fails unless path is an ELF executable with no program
// interpreter (PT_INTERP) and no shared libraries (DT_NEEDED).
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s is not an ELF executable: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked (it has an ELF interpreter); a container rootfs without libc needs busybox-static", path)
		}
	}
	libs, err := f.ImportedLibraries()
	if err == nil && len(libs) > 0 {
		return fmt.Errorf("%s needs shared libraries %v; a container rootfs without libc needs busybox-static", path, libs)
	}
	return nil
}

// A `file`-like test for a static binary: an ELF executable without a
// PT_INTERP program header needs no dynamic loader, so it runs inside any
// rootfs (what busybox-static gives, and what a container image of one
// file needs).
package doctor

import "debug/elf"

func isStaticELF(path string) (bool, error) {
	f, err := elf.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false, nil
		}
	}
	return true, nil
}

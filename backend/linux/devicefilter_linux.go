//go:build linux

// The devices cgroup on cgroup v2 (book ch.14 §14.3 设备; kernel
// Documentation/admin-guide/cgroup-v2.rst "Device controller"). v2 has no
// devices.allow file: the kernel asks an eBPF program of type
// BPF_PROG_TYPE_CGROUP_DEVICE, attached to the cgroup, about every open and
// mknod of a device node. runc generates one from the allow list; so do we,
// in our own words, with github.com/cilium/ebpf's assembler and loader.
//
// The program's context is struct bpf_cgroup_dev_ctx: access_type (the
// access in the high 16 bits — 1 mknod, 2 read, 4 write — and the device
// type in the low 16 — 1 block, 2 char), major, minor. It returns 1 to
// allow, 0 to refuse (the process gets EPERM). Each rule becomes a block
// that falls through to the next one when the type, a number or the access
// does not match; the last block refuses.

package linux

import (
	"strconv"
	"syscall"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/dockerlab/dockerlab/backend"
)

// The values of bpf_cgroup_dev_ctx (include/uapi/linux/bpf.h).
const (
	bpfDevBlock = 1
	bpfDevChar  = 2
	bpfAccMknod = 1
	bpfAccRead  = 2
	bpfAccWrite = 4
)

// deviceFilter assembles the program for an allow list.
func deviceFilter(rules []backend.Device) (asm.Instructions, error) {
	insns := asm.Instructions{
		asm.LoadMem(asm.R2, asm.R1, 0, asm.Word), // access_type
		asm.Mov.Reg32(asm.R3, asm.R2),
		asm.And.Imm32(asm.R3, 0xffff), // R3: device type
		asm.Mov.Reg32(asm.R4, asm.R2),
		asm.RSh.Imm32(asm.R4, 16),                // R4: access
		asm.LoadMem(asm.R5, asm.R1, 4, asm.Word), // R5: major
		asm.LoadMem(asm.R6, asm.R1, 8, asm.Word), // R6: minor
	}
	for i, r := range rules {
		if err := backend.ValidDevice(r); err != nil {
			return nil, err
		}
		next := "rule" + strconv.Itoa(i+1)
		var block asm.Instructions
		switch r.Type {
		case 'c':
			block = append(block, asm.JNE.Imm(asm.R3, bpfDevChar, next))
		case 'b':
			block = append(block, asm.JNE.Imm(asm.R3, bpfDevBlock, next))
		}
		if r.Major != backend.Wildcard {
			block = append(block, asm.JNE.Imm(asm.R5, int32(r.Major), next))
		}
		if r.Minor != backend.Wildcard {
			block = append(block, asm.JNE.Imm(asm.R6, int32(r.Minor), next))
		}
		var allowed int32
		for _, c := range r.Permissions {
			switch c {
			case 'm':
				allowed |= bpfAccMknod
			case 'r':
				allowed |= bpfAccRead
			case 'w':
				allowed |= bpfAccWrite
			}
		}
		// Every access asked for must be one the rule gives.
		block = append(block,
			asm.Mov.Reg32(asm.R7, asm.R4),
			asm.And.Imm32(asm.R7, ^allowed&(bpfAccMknod|bpfAccRead|bpfAccWrite)),
			asm.JNE.Imm(asm.R7, 0, next),
			asm.Mov.Imm(asm.R0, 1),
			asm.Return(),
		)
		block[0] = block[0].WithSymbol("rule" + strconv.Itoa(i))
		insns = append(insns, block...)
	}
	deny := asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}
	deny[0] = deny[0].WithSymbol("rule" + strconv.Itoa(len(rules)))
	return append(insns, deny...), nil
}

// attachDeviceFilter loads the program for rules and attaches it to the
// cgroup directory dir. The attachment outlives our file descriptors and
// goes with the cgroup.
func attachDeviceFilter(dir string, rules []backend.Device) error {
	insns, err := deviceFilter(rules)
	if err != nil {
		return err
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Name: "dockerlab_dev", Type: ebpf.CGroupDevice, License: "Apache-2.0", Instructions: insns,
	})
	if err != nil {
		return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "cgroup set", dir,
			"cgroup v2 limits devices with an eBPF program, and this kernel would not load it (%v); run the container --privileged, or as root on a kernel with BPF_PROG_TYPE_CGROUP_DEVICE", err)
	}
	defer prog.Close()
	fd, err := unix.Open(dir, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return kernelErr("cgroup set", dir, err)
	}
	defer unix.Close(fd)
	err = link.RawAttachProgram(link.RawAttachProgramOptions{
		Target: fd, Program: prog, Attach: ebpf.AttachCGroupDevice, Flags: unix.BPF_F_ALLOW_MULTI,
	})
	if err != nil {
		return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "cgroup set", dir,
			"attach the eBPF device filter: %v", err)
	}
	return nil
}

// ProbeDeviceFilter loads (and drops) the device program of a one-rule
// list: whether this kernel lets dockerlab limit devices on cgroup v2
// (`dockerlab doctor`). Root only.
func ProbeDeviceFilter() error {
	insns, err := deviceFilter([]backend.Device{{Type: 'c', Major: 1, Minor: 3, Permissions: "rwm"}})
	if err != nil {
		return err
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Name: "dockerlab_probe", Type: ebpf.CGroupDevice, License: "Apache-2.0", Instructions: insns,
	})
	if err != nil {
		return err
	}
	return prog.Close()
}

// Rows: the contract scenario on the fake and on the real kernel (docs/design.md
// "Parity is the point of the fake"; backend/scenario.ContractScenario).
// The same work — a bridge, veth pairs into namespaces with addresses and
// routes, iptables rules, teardown — on both backends; the kernel is the
// reference, so the ratio says how much faster the fake is.
package main

import (
	"os"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/scenario"
)

const (
	contractPairs = 10
	contractRules = 20
)

func contractRows() []row {
	return []row{
		{
			Group: "backend: contract scenario, fake vs real kernel",
			Name:  "contract scenario (10 veth, 20 rules), linux",
			Key:   "linux",
			Skip:  needRootLinux,
			Prepare: func() (func() error, func(), error) {
				h, cleanup, err := throwawayLinuxHost()
				if err != nil {
					return nil, nil, err
				}
				return contractRun(h), cleanup, nil
			},
		},
		{
			Group:     "backend: contract scenario, fake vs real kernel",
			Name:      "contract scenario (10 veth, 20 rules), fake",
			Reference: "contract scenario (10 veth, 20 rules), linux",
			Prepare: func() (func() error, func(), error) {
				k := fake.NewBare()
				return contractRun(k), func() { k.Close() }, nil
			},
		},
	}
}

// contractRun builds and tears down the scenario once. It leaves the host
// as it found it, so it can run again.
func contractRun(h backend.Host) func() error {
	return func() error { return scenario.ContractScenario(h, contractPairs, contractRules) }
}

// needRootLinux is the skip reason of every real-kernel row.
func needRootLinux() string {
	if !isLinux {
		return "needs Linux"
	}
	if os.Geteuid() != 0 {
		return "needs root (real bridges, veths, namespaces): sudo make bench"
	}
	return ""
}

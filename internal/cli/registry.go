// `dockerlab registry serve` and `dockerlab registry seed`: the v1
// registry Docker 0.1.0 and 1.2.0 pull from and push to (book ch.9), on
// loopback, with docker-registry's on-disk layout (internal/v1registry).
package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/internal/ocilayout"
	"github.com/dockerlab/dockerlab/internal/v1registry"
)

// defaultRegistryRoot is /var/lib/dockerlab/registry as root, a directory
// of the user's otherwise.
func defaultRegistryRoot() string {
	if os.Geteuid() == 0 {
		return "/var/lib/dockerlab/registry"
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "dockerlab", "registry")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "dockerlab", "registry")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("dockerlab-%d", os.Getuid()), "registry")
}

func newRegistryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "A v1 registry (the protocol Docker 0.1 and 1.2 spoke) to pull from and push to",
	}
	cmd.AddCommand(newRegistryServeCmd(), newRegistrySeedCmd(), newRegistryOCILayoutCmd())
	return cmd
}

func newRegistryServeCmd() *cobra.Command {
	var (
		cfg      v1registry.Config
		addr     string
		anyAddr  bool
		maxLayer int64
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve a v1 registry (index and registry) on loopback",
		Long: `Serve the v1 registry protocol Docker 1.2's pull, push, search and login use
(/v1/_ping, repositories, images json/layer/ancestry/checksum, search,
users) and the older endpoints Docker 0.1.0 used, storing images in
docker-registry's layout under --root.

Standalone by default: the registry is its own index. --auth FILE turns on
accounts ("user:password" lines, or htpasswd -s's "user:{SHA}…"); --token
makes every registry call show the token the index handed out (book ch.9
§9.5.2), then a session cookie.

It listens on loopback only unless --listen-any is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return fmt.Errorf("--addr %q: want host:port (%v)", addr, err)
			}
			if ip := net.ParseIP(host); !anyAddr && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				return fmt.Errorf("--addr %s is not a loopback address: a classroom registry stays on 127.0.0.1 (add --listen-any to serve others)", addr)
			}
			cfg.MaxLayer = maxLayer
			cfg.Log = cmd.ErrOrStderr()
			srv, err := v1registry.New(cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			hs := &http.Server{
				Handler:           srv,
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       10 * time.Minute,
				IdleTimeout:       time.Minute,
				MaxHeaderBytes:    64 << 10,
			}
			mode := "standalone"
			if cfg.Token {
				mode = "token"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "dockerlab registry (v1, %s) on http://%s/v1/, storage %s\n", mode, ln.Addr(), cfg.Root)
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				hs.Shutdown(sctx)
			}()
			if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:5000", "address to listen on (loopback)")
	cmd.Flags().StringVar(&cfg.Root, "root", defaultRegistryRoot(), "storage directory (docker-registry's layout)")
	cmd.Flags().StringVar(&cfg.AuthFile, "auth", "", "accounts file: user:password lines (or user:{SHA}base64, as htpasswd -s writes)")
	cmd.Flags().BoolVar(&cfg.Token, "token", false, "token mode: registry calls need the index's token (then a session cookie)")
	cmd.Flags().BoolVar(&anyAddr, "listen-any", false, "allow a non-loopback --addr")
	cmd.Flags().Int64Var(&maxLayer, "max-layer", 1<<30, "largest layer a push may send, in bytes")
	return cmd
}

func newRegistrySeedCmd() *cobra.Command {
	var root, imagePath, name, tag string
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Put the busybox demo image (make images) into a registry's storage",
		Long: `Store a root filesystem tarball (by default build/images/busybox.tar, which
'make images' builds from Debian's busybox-static) as a one-layer image
NAME:TAG in the registry storage --root, exactly as a push would have left
it, so that a machine without network can pull it. Seeding the same tar
again gives the same image id.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tar, err := os.ReadFile(imagePath)
			if err != nil {
				return fmt.Errorf("%w (make images builds build/images/busybox.tar)", err)
			}
			id, err := v1registry.Seed(root, name, tag, []v1registry.SeedLayer{{Tar: tar, Comment: "ADD " + filepath.Base(imagePath) + " in /"}}, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "seeded %s:%s = %s in %s\n", name, tag, id, root)
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", defaultRegistryRoot(), "the registry's storage directory")
	cmd.Flags().StringVar(&imagePath, "image", "build/images/busybox.tar", "root filesystem tarball")
	cmd.Flags().StringVar(&name, "name", "library/busybox", "repository ([namespace/]name)")
	cmd.Flags().StringVar(&tag, "tag", "latest", "tag")
	return cmd
}

func newRegistryOCILayoutCmd() *cobra.Command {
	var imagePath string
	cmd := &cobra.Command{
		Use:   "oci-layout DIR",
		Short: "Write the busybox demo image as an OCI layout in DIR, for skopeo to copy into a v2 registry",
		Long: `Write a root filesystem tarball (build/images/busybox.tar by default) as an OCI
image layout in DIR with two names: "latest" (this platform's image manifest)
and "multi" (an index of this platform and s390x). Then, for example:

  skopeo copy --dest-tls-verify=false oci:DIR:latest docker://127.0.0.1:5001/library/busybox:latest
  skopeo copy --all --dest-tls-verify=false oci:DIR:multi docker://127.0.0.1:5001/library/busybox:multi

and pull them through the v1.2 daemon (a v2 pull, beyond Docker 1.2).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tar, err := os.ReadFile(imagePath)
			if err != nil {
				return fmt.Errorf("%w (make images builds build/images/busybox.tar)", err)
			}
			l, err := ocilayout.Write(args[0], tar)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: latest = %s, multi = an index of linux/%s and linux/%s\n", l.Dir, l.Manifest, runtime.GOARCH, l.OtherArch)
			return nil
		},
	}
	cmd.Flags().StringVar(&imagePath, "image", "build/images/busybox.tar", "root filesystem tarball")
	return cmd
}

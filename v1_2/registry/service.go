// Package registry: the daemon's side of Docker Hub — the "auth" and
// "search" jobs that builtins.Register installs.
//
// Upstream: registry/service.go at v1.2.0 (Service, NewService, Install,
// Auth, Search). See docs/upstream/v1.2.0.md §2.2 step 3 and §2.4.
// Book: ch.3 §3.3.5 加载builtins, ch.9 (Docker镜像下载) for what the registry does.
//
// dockerlab has no registry yet: a classroom sandbox reaches no Docker Hub,
// and a registry of our own arrives with the pull issue. So the jobs exist
// under their upstream names, check their input as upstream did, and then
// answer honestly that no registry is configured — they never pretend to
// log in or to find anything.
package registry

import (
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// IndexServerAddress is the registry Docker 1.2 logged in to by default.
const IndexServerAddress = "https://index.docker.io/v1/"

// ErrNoRegistry is what every registry job answers for now.
const ErrNoRegistry = "no registry is configured: dockerlab cannot reach Docker Hub, and its own registry arrives with the pull issue"

// AuthConfig is the "authConfig" env of the auth job, with upstream's
// JSON field names.
type AuthConfig struct {
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	Auth          string `json:"auth"`
	Email         string `json:"email"`
	ServerAddress string `json:"serveraddress,omitempty"`
}

// Service holds the registry jobs.
type Service struct{}

// NewService returns the service builtins.Register installs.
func NewService() *Service { return &Service{} }

// Install registers "auth" and "search" on eng.
func (s *Service) Install(eng *engine.Engine) error {
	if err := eng.Register("auth", s.Auth); err != nil {
		return err
	}
	return eng.Register("search", s.Search)
}

// Auth is the "auth" job (docker login): env authConfig, prints a status.
func (s *Service) Auth(job *engine.Job) engine.Status {
	var config AuthConfig
	if job.EnvExists("authConfig") {
		if err := job.GetenvJson("authConfig", &config); err != nil {
			return job.Errorf("auth: the authConfig env is not valid JSON: %s", err)
		}
	}
	server := config.ServerAddress
	if server == "" {
		server = IndexServerAddress
	}
	return job.Errorf("Login to %s: %s", server, ErrNoRegistry)
}

// Search is the "search TERM" job (docker search).
func (s *Service) Search(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s TERM", job.Name)
	}
	return job.Errorf("search %q: %s", job.Args[0], ErrNoRegistry)
}

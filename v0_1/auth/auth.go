// Package auth keeps the registry credentials of Docker 0.1.0: the
// AuthConfig and its .dockercfg file in the daemon's root directory.
//
// Upstream: auth/auth.go at v0.1.0 (AuthConfig, LoadConfig, SaveConfig,
// EncodeAuth, DecodeAuth, Login). See docs/upstream/v0.1.0.md §2
// "AuthConfig / .dockercfg".
// Notes: 002 "读取认证文件" (the registry https://registry.docker.io, the
// file /var/lib/docker/.dockercfg, its two fields auth and email).
//
// The file is not JSON. It is two lines:
//
//	auth = a2VuOnRlc3Q=
//	email = ken@example.com
//
// where the first value is base64("username:password"): the password is only
// encoded, not encrypted, which is why the file is mode 0600.
//
// Divergences from 0.1.0:
//   - a malformed file is a clear error; 0.1.0 indexed past the end of its
//     split lines and panicked;
//   - SaveConfig writes a temporary file and renames it over the old one, so
//     a crash never leaves half a file;
//   - Login talks to the server it is given (dockerlab's registry; the
//     2013 registry is gone), with a timeout and a bounded answer.
package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// CONFIGFILE is the file's name inside the daemon's root directory
// (/var/lib/docker in 0.1.0, not the user's home).
const CONFIGFILE = ".dockercfg"

// REGISTRY_SERVER is where 0.1.0 registered and logged in users.
const REGISTRY_SERVER = "https://registry.docker.io"

// AuthConfig is one user's registry account. The JSON names are what
// 0.1.0's Login posted to the registry.
type AuthConfig struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Email    string `json:"email"`
	rootPath string // directory holding CONFIGFILE
}

// NewAuthConfig makes a config that SaveConfig will store in rootPath.
func NewAuthConfig(username, password, email, rootPath string) *AuthConfig {
	return &AuthConfig{Username: username, Password: password, Email: email, rootPath: rootPath}
}

// ErrConfigMissing is LoadConfig's answer when there is no .dockercfg yet.
// The text is 0.1.0's.
var ErrConfigMissing = errors.New("The Auth config file is missing")

// EncodeAuth gives the value of the "auth = " line: base64 of
// "username:password" (ken/test → a2VuOnRlc3Q=).
func EncodeAuth(authConfig *AuthConfig) string {
	return base64.StdEncoding.EncodeToString([]byte(authConfig.Username + ":" + authConfig.Password))
}

// DecodeAuth reverses EncodeAuth. As in 0.1.0 the decoded text must hold
// exactly one ":", so a password that contains ":" cannot be stored, and
// NUL bytes around the password are trimmed.
func DecodeAuth(authStr string) (*AuthConfig, error) {
	decoded, err := base64.StdEncoding.DecodeString(authStr)
	if err != nil {
		return nil, fmt.Errorf("Invalid auth configuration file: auth is not base64: %v", err)
	}
	parts := strings.Split(string(decoded), ":")
	if len(parts) != 2 {
		return nil, errors.New("Invalid auth configuration file: auth must decode to exactly one username:password")
	}
	return &AuthConfig{Username: parts[0], Password: strings.Trim(parts[1], "\x00")}, nil
}

// LoadConfig reads rootPath/.dockercfg. When the file is missing it returns
// an empty config (never nil) together with ErrConfigMissing: 0.1.0's
// runtime ignored the error whenever the config was non-nil, so a daemon
// without credentials still starts.
func LoadConfig(rootPath string) (*AuthConfig, error) {
	confFile := filepath.Join(rootPath, CONFIGFILE)
	data, err := os.ReadFile(confFile)
	if errors.Is(err, os.ErrNotExist) {
		return &AuthConfig{rootPath: rootPath}, ErrConfigMissing
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("Invalid auth configuration file %s: want an auth line and an email line", confFile)
	}
	authValue, ok := lineValue(lines[0], "auth")
	if !ok {
		return nil, fmt.Errorf("Invalid auth configuration file %s: first line must be \"auth = <base64>\"", confFile)
	}
	emailValue, ok := lineValue(lines[1], "email")
	if !ok {
		return nil, fmt.Errorf("Invalid auth configuration file %s: second line must be \"email = <address>\"", confFile)
	}
	authConfig, err := DecodeAuth(authValue)
	if err != nil {
		return nil, err
	}
	authConfig.Email = emailValue
	authConfig.rootPath = rootPath
	return authConfig, nil
}

// lineValue splits "key = value". 0.1.0 took whatever followed the first
// " = " without looking at the key; checking it turns a mixed-up file into
// a clear error.
func lineValue(line, key string) (string, bool) {
	k, v, ok := strings.Cut(line, " = ")
	if !ok || k != key {
		return "", false
	}
	return v, true
}

// SaveConfig writes authConfig to its root directory's .dockercfg, mode
// 0600 (0.1.0's saveConfig wrote it the same way after a successful login).
func SaveConfig(authConfig *AuthConfig) error {
	if authConfig.rootPath == "" {
		return errors.New("auth: the config has no root directory to be saved in (use NewAuthConfig or LoadConfig)")
	}
	content := "auth = " + EncodeAuth(authConfig) + "\n" + "email = " + authConfig.Email + "\n"
	return writeFileAtomic(filepath.Join(authConfig.rootPath, CONFIGFILE), []byte(content), 0600)
}

// writeFileAtomic writes data next to path and renames it into place.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Login registers (POST <server>/v1/users: 201 "Account Created") or,
// when the account exists (400 "Username or email already exist"), logs
// in (GET <server>/v1/users with basic auth: 200 "Login Succeeded"), and
// on success saves the config. server "" is REGISTRY_SERVER.
func Login(authConfig *AuthConfig, server string) (string, error) {
	if server == "" {
		server = REGISTRY_SERVER
	}
	jsonBody, err := json.Marshal(authConfig)
	if err != nil {
		return "", fmt.Errorf("Config Error: %s", err)
	}
	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Post(server+"/v1/users", "application/json; charset=utf-8", strings.NewReader(string(jsonBody)))
	if err != nil {
		return "", fmt.Errorf("Server Error: %s", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return "", fmt.Errorf("Server Error: [%d] %s", resp.StatusCode, err)
	}
	var status string
	switch {
	case resp.StatusCode == 201:
		status = "Account Created\n"
	case resp.StatusCode == 400 && string(body) == "Username or email already exist":
		req, err := http.NewRequest("GET", server+"/v1/users", nil)
		if err != nil {
			return "", err
		}
		req.SetBasicAuth(authConfig.Username, authConfig.Password)
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return "", fmt.Errorf("Login: %s", body)
		}
		status = "Login Succeeded\n"
	case resp.StatusCode == 400:
		return "", fmt.Errorf("Registration: %s", body)
	default:
		return "", fmt.Errorf("[%d] : %s", resp.StatusCode, body)
	}
	if err := SaveConfig(authConfig); err != nil {
		return "", err
	}
	return status, nil
}

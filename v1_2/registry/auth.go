// Credentials: AuthConfig, the client's ~/.dockercfg, and Login, the
// register-or-log-in dance against <index>users/.
//
// Upstream: registry/auth.go at v1.2.0 (AuthConfig, ConfigFile,
// CONFIGFILE, encodeAuth, decodeAuth, LoadConfig, SaveConfig, Login,
// ResolveAuthConfig).
// Book: ch.9 §9.3.2 配置认证信息 (the client reads .dockercfg and sends
// X-Registry-Auth). Notes: 002 "读取认证文件" (0.1.0's two-line .dockercfg, which
// 1.2 still read as a legacy format).
//
// dockerlab writes the file atomically (1.2 wrote in place) and bounds
// every answer it reads.
package registry

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/pkg/ioutils"
)

// CONFIGFILE is the client's credentials file, in $HOME.
const CONFIGFILE = ".dockercfg"

// AuthConfig is one registry account. It travels base64url-encoded in
// X-Registry-Auth and as the authConfig env of the jobs.
type AuthConfig struct {
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	Auth          string `json:"auth"`
	Email         string `json:"email"`
	ServerAddress string `json:"serveraddress,omitempty"`
}

// ConfigFile is .dockercfg: one AuthConfig per server address.
type ConfigFile struct {
	Configs  map[string]AuthConfig `json:"configs,omitempty"`
	rootPath string
}

// encodeAuth is base64("user:password"), the "auth" field.
func encodeAuth(authConfig *AuthConfig) string {
	return base64.StdEncoding.EncodeToString([]byte(authConfig.Username + ":" + authConfig.Password))
}

// decodeAuth reverses encodeAuth; the password may contain ':'.
func decodeAuth(authStr string) (string, string, error) {
	decoded, err := base64.StdEncoding.DecodeString(authStr)
	if err != nil {
		return "", "", fmt.Errorf("Invalid auth configuration file: %v", err)
	}
	user, password, ok := strings.Cut(string(decoded), ":")
	if !ok {
		return "", "", fmt.Errorf("Invalid auth configuration file")
	}
	return user, strings.Trim(password, "\x00"), nil
}

// LoadConfig reads rootPath/.dockercfg. A missing file is an empty
// config. Two formats: 1.2's JSON {"<server>": {"auth", "email"}}, and
// 0.1.0's two lines "auth = …" / "email = …", which mean Docker Hub.
func LoadConfig(rootPath string) (*ConfigFile, error) {
	configFile := &ConfigFile{Configs: map[string]AuthConfig{}, rootPath: rootPath}
	b, err := os.ReadFile(filepath.Join(rootPath, CONFIGFILE))
	if os.IsNotExist(err) {
		return configFile, nil
	}
	if err != nil {
		return configFile, err
	}
	if err := json.Unmarshal(b, &configFile.Configs); err == nil {
		for k, c := range configFile.Configs {
			if c.Username, c.Password, err = decodeAuth(c.Auth); err != nil {
				return configFile, fmt.Errorf("%s: server %s: %w", CONFIGFILE, k, err)
			}
			c.Auth = ""
			c.ServerAddress = k
			configFile.Configs[k] = c
		}
		return configFile, nil
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 2 {
		return configFile, fmt.Errorf("The Auth config file is empty")
	}
	var c AuthConfig
	auth, ok1 := strings.CutPrefix(lines[0], "auth = ")
	email, ok2 := strings.CutPrefix(lines[1], "email = ")
	if !ok1 || !ok2 {
		return configFile, fmt.Errorf("Invalid Auth config file %s: neither JSON nor the two lines \"auth = …\", \"email = …\"", CONFIGFILE)
	}
	if c.Username, c.Password, err = decodeAuth(auth); err != nil {
		return configFile, err
	}
	c.Email = email
	c.ServerAddress = IndexServerAddress()
	configFile.Configs[c.ServerAddress] = c
	return configFile, nil
}

// SaveConfig writes the file (mode 0600: the password is only encoded),
// through a temporary file and a rename. No configs: the file goes.
func SaveConfig(configFile *ConfigFile) error {
	path := filepath.Join(configFile.rootPath, CONFIGFILE)
	if len(configFile.Configs) == 0 {
		os.Remove(path)
		return nil
	}
	configs := map[string]AuthConfig{}
	for k, c := range configFile.Configs {
		configs[k] = AuthConfig{Auth: encodeAuth(&c), Email: c.Email}
	}
	b, err := json.Marshal(configs)
	if err != nil {
		return err
	}
	return ioutils.AtomicWriteFile(path, b, 0600)
}

// ResolveAuthConfig finds the account for a registry: by the exact key,
// else by host name with any scheme and path stripped; the index's
// account for "" or the index.
func (config *ConfigFile) ResolveAuthConfig(hostname string) AuthConfig {
	if hostname == IndexServerAddress() || hostname == "" {
		return config.Configs[IndexServerAddress()]
	}
	if c, ok := config.Configs[hostname]; ok {
		return c
	}
	host := func(url string) string {
		url = strings.TrimPrefix(strings.TrimPrefix(url, "http://"), "https://")
		return strings.SplitN(url, "/", 2)[0]
	}
	for k, c := range config.Configs {
		if host(k) == host(hostname) {
			return c
		}
	}
	return AuthConfig{}
}

// Login registers or logs in: POST <server>users/ with the account; 201
// is a new account; 400 "Username or email already exists" or 401 (a
// private registry guarding users/) lead to GET <server>users/ with
// basic auth, whose 200 is "Login Succeeded".
func Login(authConfig *AuthConfig, factory *HTTPRequestFactory) (string, error) {
	serverAddress := authConfig.ServerAddress
	if serverAddress == "" {
		serverAddress = IndexServerAddress()
	}
	official := serverAddress == INDEXSERVER
	authCopy := *authConfig
	authCopy.ServerAddress = "" // the server is not told its own address
	jsonBody, err := json.Marshal(authCopy)
	if err != nil {
		return "", fmt.Errorf("Config Error: %s", err)
	}
	client := newClient(nil, ConnectTimeout)
	req, err := factory.NewRequest("POST", serverAddress+"users/", strings.NewReader(string(jsonBody)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("Server Error: %s", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return "", fmt.Errorf("Server Error: [%d] %s", resp.StatusCode, err)
	}
	switch {
	case resp.StatusCode == 201 && official:
		return "Account created. Please use the confirmation link we sent to your e-mail to activate it.", nil
	case resp.StatusCode == 201:
		return "Account created. Please see the documentation of the registry " + serverAddress + " for instructions how to activate it.", nil
	case resp.StatusCode == 400 && string(body) != `"Username or email already exists"`:
		return "", fmt.Errorf("Registration: %s", body)
	case resp.StatusCode != 400 && resp.StatusCode != 401:
		return "", fmt.Errorf("Unexpected status code [%d] : %s", resp.StatusCode, body)
	}
	req, err = factory.NewRequest("GET", serverAddress+"users/", nil)
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(authConfig.Username, authConfig.Password)
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusOK:
		return "Login Succeeded", nil
	case http.StatusUnauthorized:
		return "", fmt.Errorf("Wrong login/password, please try again")
	case http.StatusForbidden:
		return "", fmt.Errorf("Login: Account is not Active. Please see the documentation of the registry %s for instructions how to activate it.", serverAddress)
	}
	return "", fmt.Errorf("Login: %s (Code: %d)", strings.TrimSpace(string(body)), resp.StatusCode)
}

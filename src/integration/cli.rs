//! The `vexil` binary as a person runs it: defaults, bad configuration, graceful shutdown.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_vexil");

/// An empty working directory, removed afterwards.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("vexil-cli-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        WorkDir(dir)
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `vexil ARGS` in `dir` with only the given VEXIL_* variables set.
/// The admin token of the servers these tests start (`VEXIL_BOOTSTRAP_TOKEN`).
const TOKEN: &str = "vexil-cli-tests-admin-token";

fn vexil(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args(args);
    for (name, _) in std::env::vars() {
        if name.starts_with("VEXIL_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied());
    command
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    vexil(dir, args, env).output().expect("run vexil")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn help_documents_every_setting_and_its_variable() {
    let work = WorkDir::new();
    let output = run(&work.0, &["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for name in [
        "VEXIL_CONFIG",
        "VEXIL_LISTEN",
        "VEXIL_DATABASE_URL",
        "VEXIL_DATABASE_MAX_CONNECTIONS",
        "VEXIL_LOG_LEVEL",
        "VEXIL_LOG_FORMAT",
        "VEXIL_SITE_ROOT",
        "VEXIL_BODY_LIMIT",
        "VEXIL_CACHE_POLL_MS",
        "VEXIL_SNAPSHOT_KEEP",
        "VEXIL_SNAPSHOT_MAX_AGE_DAYS",
    ] {
        assert!(help.contains(name), "--help lacks {name}:\n{help}");
    }
    assert!(help.contains("127.0.0.1:8080") && help.contains("sqlite://data/vexil.db"));
    assert!(help.contains("serve") && help.contains("migrate"));
}

/// Arguments, environment, and the name the error must mention.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn bad_configuration_is_one_line_naming_the_setting_and_creates_nothing() {
    let work = WorkDir::new();
    std::fs::write(work.0.join("bad.yaml"), "listen: 127.0.0.1:1\nlistn: x\n").unwrap();
    let cases: [Case; 5] = [
        (&["serve"], &[("VEXIL_LISTN", "127.0.0.1:1")], "VEXIL_LISTN"),
        (&["serve"], &[("VEXIL_LISTEN", "port-eighty")], "VEXIL_LISTEN"),
        (&["serve"], &[("VEXIL_LOG_FORMAT", "xml")], "VEXIL_LOG_FORMAT"),
        (&["--config", "bad.yaml", "serve"], &[], "listn"),
        (
            &["migrate"],
            &[("VEXIL_DATABASE_MAX_CONNECTIONS", "-1")],
            "VEXIL_DATABASE_MAX_CONNECTIONS",
        ),
    ];
    for (args, env, named) in cases {
        let output = run(&work.0, args, env);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?} {env:?}: {message}");
        assert!(message.contains(named), "{message}");
        assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
    }
    assert_eq!(work.entries(), vec!["bad.yaml"], "nothing was created");
}

#[test]
fn an_unreachable_database_names_the_setting_and_creates_nothing() {
    let work = WorkDir::new();
    let url = format!("postgres://nobody@127.0.0.1:{}/vexil", free_port());
    let output = run(&work.0, &["serve"], &[("VEXIL_DATABASE_URL", &url)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("VEXIL_DATABASE_URL"), "{message}");
    let missing_dir = work.0.join("no-such-dir/vexil.db");
    let url = format!("sqlite://{}", missing_dir.display());
    let output = run(&work.0, &["migrate"], &[("VEXIL_DATABASE_URL", &url)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(work.entries().is_empty(), "nothing was created: {:?}", work.entries());
}

#[test]
fn migrate_creates_the_default_database_under_data() {
    let work = WorkDir::new();
    let output = run(&work.0, &["migrate"], &[("VEXIL_LOG_LEVEL", "warn")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(work.0.join("data/vexil.db").is_file());
}

#[test]
fn serve_answers_health_and_stops_cleanly_on_sigterm() {
    let work = WorkDir::new();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = vexil(&work.0, &[], &[("VEXIL_LISTEN", &listen), ("VEXIL_LOG_FORMAT", "json")])
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start vexil");
    let client = reqwest::blocking_client();
    let deadline = Instant::now() + Duration::from_secs(30);
    let body = loop {
        match client(&format!("http://{listen}/health")) {
            Some(body) => break body,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            None => {
                let _ = child.kill();
                panic!("vexil did not answer on {listen} within 30 s");
            }
        }
    };
    assert_eq!(body, r#"{"status":"SERVING"}"#);

    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let output = child.wait_with_output().unwrap();
    let logs = stderr(&output);
    assert!(output.status.success(), "graceful exit: {logs}");
    assert!(logs.contains("SIGTERM received"), "{logs}");
    assert!(logs.lines().all(|line| line.starts_with('{')), "JSON logs: {logs}");
    assert!(work.0.join("data/vexil.db").is_file());
    // The first start prints a sign-in link with a new admin token to the terminal, once;
    // the token never reaches the log.
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let link = format!("Sign in: http://{listen}/login#token=");
    let token = printed.split(&link).nth(1).and_then(|rest| rest.lines().next()).expect(&printed);
    assert_eq!(token.len(), 46, "44 characters, the padding percent-encoded: {token}");
    let decoded = token.replace("%3D", "=");
    assert!(!logs.contains(&decoded) && !logs.contains(token), "the token is not logged: {logs}");
}

/// When the new random admin token cannot be shown (standard output is a pipe nobody reads),
/// the server keeps no such token and refuses to start, saying why; the next start with
/// standard output attached makes one and shows it.
#[test]
fn an_admin_token_that_cannot_be_shown_is_not_kept() {
    let work = WorkDir::new();
    let listen = format!("127.0.0.1:{}", free_port());
    let env = [("VEXIL_LISTEN", listen.as_str()), ("VEXIL_LOG_LEVEL", "warn")];
    let mut child = vexil(&work.0, &[], &env)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vexil");
    drop(child.stdout.take()); // the reading end is closed: every write fails with EPIPE
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("vexil kept running although it could not show its admin token");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let logs = stderr(&output);
    assert!(!output.status.success(), "{logs}");
    assert!(logs.contains("could not be shown"), "{logs}");
    assert!(logs.contains("bootstrap_token"), "the way out is named: {logs}");

    let mut child = vexil(&work.0, &[], &env)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vexil again");
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !printed.contains("Sign in: ") && Instant::now() < deadline {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() == 0 {
            break;
        }
        printed.push_str(&line);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(printed.contains(&format!("Sign in: http://{listen}/login#token=")), "{printed}");
}

/// A tiny blocking GET over std::net, so this test needs no HTTP client runtime.
mod reqwest {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    pub fn blocking_client() -> impl Fn(&str) -> Option<String> {
        |url: &str| {
            let rest = url.strip_prefix("http://")?;
            let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}")))?;
            let mut stream = TcpStream::connect(host).ok()?;
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
                super::TOKEN
            )
            .ok()?;
            let mut response = String::new();
            stream.read_to_string(&mut response).ok()?;
            let (head, body) = response.split_once("\r\n\r\n")?;
            head.starts_with("HTTP/1.1 200").then(|| body.to_string())
        }
    }
}

#[test]
fn export_writes_flipt_documents_and_names_missing_namespaces() {
    let work = WorkDir::new();
    let quiet = [("VEXIL_LOG_LEVEL", "warn")];
    assert!(run(&work.0, &["migrate"], &quiet).status.success());
    let output = run(&work.0, &["export"], &quiet);
    assert!(output.status.success(), "{}", stderr(&output));
    let yaml = String::from_utf8_lossy(&output.stdout);
    assert!(yaml.contains("key: default") && yaml.contains("name: Default"), "{yaml}");

    let file = work.0.join("all.yaml");
    let output =
        run(&work.0, &["export", "--all-namespaces", "--sort-by-key", "-o", "all.yaml"], &quiet);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read_to_string(file).unwrap().contains("version: '1.4'"));

    let missing = run(&work.0, &["export", "--namespaces", "default,nope"], &quiet);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("namespace \"nope\" not found"), "{}", stderr(&missing));
}

#[test]
fn snapshot_and_restore_from_the_command_line() {
    let work = WorkDir::new();
    let quiet = [("VEXIL_LOG_LEVEL", "warn")];
    assert!(run(&work.0, &["migrate"], &quiet).status.success());
    let taken = run(&work.0, &["snapshot", "default", "--reason", "before the release"], &quiet);
    assert!(taken.status.success(), "{}", stderr(&taken));
    let id = String::from_utf8_lossy(&taken.stdout).trim().to_string();
    assert_eq!(id.len(), 36, "prints the snapshot id: {id}");
    let restored = run(&work.0, &["restore", &id], &quiet);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(String::from_utf8_lossy(&restored.stdout).contains("restored namespace default"));
    let missing = run(&work.0, &["restore", "nope"], &quiet);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("snapshot \"nope\" not found"), "{}", stderr(&missing));
    let no_namespace = run(&work.0, &["snapshot", "ghost"], &quiet);
    assert!(stderr(&no_namespace).contains("namespace \"ghost\" not found"));
}

/// Starts `vexil serve` in `dir` on a free port; returns the child and its base URL once
/// `/health` answers.
fn start_server(dir: &Path) -> (std::process::Child, String) {
    let listen = format!("127.0.0.1:{}", free_port());
    let env = [
        ("VEXIL_LISTEN", listen.as_str()),
        ("VEXIL_LOG_LEVEL", "warn"),
        ("VEXIL_BOOTSTRAP_TOKEN", TOKEN),
    ];
    let mut child = vexil(dir, &[], &env).spawn().expect("start vexil");
    let get = reqwest::blocking_client();
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(&format!("http://{listen}/health")).is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("vexil did not answer on {listen} within 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, format!("http://{listen}"))
}

#[test]
fn import_and_export_against_a_running_server_with_a_progress_bar() {
    let server_dir = WorkDir::new();
    let client_dir = WorkDir::new();
    let (mut server, url) = start_server(&server_dir.0);
    let mut yaml = String::from("version: '1.4'\nnamespace: {key: bulk, name: Bulk}\nflags:\n");
    for i in 0..2000 {
        yaml.push_str(&format!("  - {{key: flag-{i:04}, name: Flag {i}, enabled: true}}\n"));
    }
    std::fs::write(client_dir.0.join("bulk.yml"), &yaml).unwrap();

    // On a terminal (a pseudo-terminal from util-linux's `script`) the import draws its bar.
    let command = format!("{BIN} import bulk.yml --address {url} --token {TOKEN}");
    let mut script = Command::new("script");
    script.current_dir(&client_dir.0).args(["-qefc", &command, "/dev/null"]);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("VEXIL_")) {
        script.env_remove(name);
    }
    let shown = script.output().expect("run script(1)");
    let screen = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{screen}");
    assert!(screen.contains("2000/2000 flags and segments imported"), "{screen}");
    assert!(screen.contains("namespace bulk: 2000 flags created"), "{screen}");
    assert!(client_dir.entries().iter().all(|e| e == "bulk.yml"), "no local database is created");

    // Without a terminal there is no bar; a key that exists is refused (create-only).
    let again =
        run(&client_dir.0, &["import", "bulk.yml", "--address", &url], &[("VEXIL_TOKEN", TOKEN)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(!stderr(&again).contains("flags and segments"), "{}", stderr(&again));
    let refusal = stderr(&again);
    assert!(refusal.contains("flag \"bulk/flag-0000\" is not unique"), "{refusal}");

    let exported = run(
        &client_dir.0,
        &["export", "--namespaces", "bulk", "--address", &url, "-o", "out.yml"],
        &[("VEXIL_TOKEN", TOKEN)],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let remote_copy = std::fs::read_to_string(client_dir.0.join("out.yml")).unwrap();
    let server_copy =
        reqwest::blocking_client()(&format!("{url}/api/v1/namespaces/bulk/export")).unwrap();
    assert_eq!(remote_copy, server_copy, "export over the API equals the server's own export");
    assert_eq!(remote_copy.matches("- key: flag-").count(), 2000);

    let pid = server.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    assert!(server.wait().unwrap().success());
}

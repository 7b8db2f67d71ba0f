//! The one-shot commands: `vexil export`, `import`, `snapshot` and `restore`, against the local
//! database or, for export and import with `--address`, another Vexil or Flipt server.

use std::{io::IsTerminal as _, time::Duration};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{
    cli::{ExportArgs, ImportArgs},
    config::Settings,
    document::Document,
    remote::Remote,
    service::{objects_in, ImportMode, ImportSummary, Service},
    startup::open_store,
};

/// `vexil export`: documents to a file or standard output.
pub async fn export(settings: Settings, args: ExportArgs) -> anyhow::Result<()> {
    let keys = if args.all_namespaces {
        None
    } else if args.namespaces.is_empty() {
        Some(vec!["default".to_string()])
    } else {
        Some(args.namespaces)
    };
    let documents = match &args.remote.address {
        Some(address) => {
            let remote = Remote::new(address, args.remote.token.clone())?;
            remote.export(keys.as_deref(), args.sort_by_key).await?
        }
        None => {
            let store = open_store(&settings).await?;
            let service = Service::new(store.clone()).with_retention(settings.retention);
            let documents = service
                .export(keys.as_deref(), args.sort_by_key)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            store.close().await;
            documents
        }
    };
    let yaml = crate::document::to_yaml_stream(&documents)?;
    match args.output {
        Some(path) => {
            std::fs::write(&path, yaml).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{yaml}"),
    }
    Ok(())
}

/// `vexil import`: documents from a file or standard input, all or nothing, with a progress bar
/// on a terminal.
pub async fn import(settings: Settings, args: ImportArgs) -> anyhow::Result<()> {
    use std::io::Read as _;
    let (text, json) = match &args.file {
        Some(path) => (
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
            path.extension().is_some_and(|e| e == "json"),
        ),
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading standard input")?;
            (text, false)
        }
    };
    let documents = crate::document::parse_limited(&text, json, settings.document_max_depth)?;
    let mode = if args.replace {
        ImportMode::Replace
    } else if args.skip_existing {
        ImportMode::SkipExisting
    } else {
        ImportMode::CreateOnly
    };
    let bar = progress_bar(&documents);
    let tick = |done: u64| bar.inc(done);
    let summaries = match &args.remote.address {
        Some(address) => {
            let remote = Remote::new(address, args.remote.token.clone())?;
            remote.import(&text, json, &documents, mode, args.dry_run, &tick).await
        }
        None => {
            async {
                let store = open_store(&settings).await?;
                let service = Service::new(store.clone()).with_retention(settings.retention);
                let result = service
                    .import_with_progress(&documents, mode, args.dry_run, &tick)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"));
                store.close().await;
                result
            }
            .await
        }
    };
    match &summaries {
        Ok(_) => bar.finish_with_message(if args.dry_run { "checked" } else { "imported" }),
        Err(_) => bar.abandon_with_message("nothing imported"),
    }
    report(&summaries?, args.dry_run);
    Ok(())
}

/// A bar over the documents' flags and segments, on standard error when it is a terminal.
fn progress_bar(documents: &[Document]) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(objects_in(documents)), target);
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] [{bar:40}] {pos}/{len} flags and segments {msg}",
    )
    .expect("a valid progress template")
    .progress_chars("=> ");
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn report(summaries: &[ImportSummary], dry_run: bool) {
    for s in summaries {
        println!(
            "{}namespace {}: {} flags created, {} skipped; {} segments created, {} skipped{}{}",
            if dry_run { "(dry run) " } else { "" },
            s.namespace,
            s.flags_created,
            s.flags_skipped,
            s.segments_created,
            s.segments_skipped,
            if s.namespace_created { "; namespace created" } else { "" },
            if s.replaced { "; previous contents replaced" } else { "" },
        );
    }
}

/// `vexil snapshot NAMESPACE`.
pub async fn snapshot(settings: Settings, namespace: &str, reason: &str) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let service = Service::new(store.clone()).with_retention(settings.retention);
    let info =
        service.create_snapshot(namespace, reason).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", info.id);
    store.close().await;
    Ok(())
}

/// `vexil restore ID`.
pub async fn restore(settings: Settings, id: &str) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let service = Service::new(store.clone()).with_retention(settings.retention);
    let (info, summary) = service.restore_snapshot(id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "restored namespace {} from snapshot {} ({}, {}): {} flags, {} segments",
        info.namespace_key,
        info.id,
        info.reason,
        info.created_at,
        summary.flags_created,
        summary.segments_created
    );
    store.close().await;
    Ok(())
}

/// `vexil check`.
pub async fn check(settings: Settings) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let mut conn = store.reader().acquire().await.context("connecting to the database")?;
    let problems = crate::store::integrity::check(&mut conn, store.backend()).await?;
    drop(conn);
    store.close().await;
    if problems.is_empty() {
        println!("ok: {} passes its integrity and foreign-key checks", settings.database.url);
        return Ok(());
    }
    for problem in &problems {
        println!("{problem}");
    }
    anyhow::bail!("{} problem(s) in {}", problems.len(), settings.database.url)
}

//! Work on many regions at once, results in order.

use anyhow::{Context, Result};
use std::collections::VecDeque;
use std::future::Future;

/// How many regions to work on at once: one per core. Each region's reads and scoring run on a
/// runtime thread while SQLite steps the next region's statements on its own worker.
pub fn width() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Run `work` for each item, at most `width` at once on the runtime's threads, and hand each
/// result to `done` in the items' order, so output streams in a stable order and at most `width`
/// results are held. The first error stops the run; the work still in flight is aborted.
pub async fn ordered<I, T, Fut>(
    items: Vec<I>,
    width: usize,
    work: impl Fn(&I) -> Fut,
    mut done: impl FnMut(I, T) -> Result<()>,
) -> Result<()>
where
    Fut: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut pending = VecDeque::new();
    let mut items = items.into_iter();
    let outcome = loop {
        while pending.len() < width.max(1) {
            let Some(item) = items.next() else { break };
            let handle = tokio::spawn(work(&item));
            pending.push_back((item, handle));
        }
        let Some((item, handle)) = pending.pop_front() else {
            break Ok(());
        };
        let step = match handle.await.context("a worker stopped unexpectedly") {
            Ok(Ok(t)) => done(item, t),
            Ok(Err(e)) | Err(e) => Err(e),
        };
        if let Err(e) = step {
            break Err(e);
        }
    };
    for (_, handle) in pending {
        handle.abort();
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn results_come_in_order_and_errors_stop_the_run() {
        let mut seen = Vec::new();
        let work = |i: &u64| {
            let i = *i;
            async move {
                // Later items finish first.
                tokio::time::sleep(std::time::Duration::from_millis(30 - i * 5)).await;
                Ok(i * 10)
            }
        };
        ordered(vec![1, 2, 3, 4, 5], 3, work, |i, t| {
            seen.push((i, t));
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(seen, vec![(1, 10), (2, 20), (3, 30), (4, 40), (5, 50)]);

        let mut seen = Vec::new();
        let failing = |i: &u64| {
            let i = *i;
            async move {
                if i == 2 {
                    anyhow::bail!("region 2 failed")
                }
                Ok(i)
            }
        };
        let err = ordered(vec![1, 2, 3], 2, failing, |i, _| {
            seen.push(i);
            Ok(())
        })
        .await
        .unwrap_err();
        assert_eq!(err.to_string(), "region 2 failed");
        assert_eq!(seen, vec![1]);
    }
}

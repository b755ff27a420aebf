//! Work on many regions at once, results in order.

use anyhow::{Context, Result};
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;

/// How many regions to work on at once: one per core. Each region's reads and scoring run on a
/// runtime thread while SQLite steps the next region's statements on its own worker.
pub fn width() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Run `work` for each item, at most `width` at once on the runtime's threads, and hand each
/// result to `done` in the items' order, so output streams in a stable order. A new item starts
/// as soon as any running one finishes (a slow region does not hold the others back); at most
/// `width` finished results wait for their turn. The first error in the items' order stops the
/// run, and the work still in flight is aborted.
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
    let width = width.max(1);
    let mut items = items.into_iter();
    // Started items not yet handed to `done`, in order; `finished` holds their results by index.
    let mut started = VecDeque::new();
    let mut finished = BTreeMap::new();
    let (mut next_in, mut next_out) = (0usize, 0usize);
    // Dropping the set (on return) aborts whatever still runs.
    let mut running = tokio::task::JoinSet::new();
    loop {
        while let Some(result) = finished.remove(&next_out) {
            let item = started.pop_front().context("a result without its item")?;
            next_out += 1;
            done(item, result?)?;
        }
        while running.len() < width && finished.len() < width {
            let Some(item) = items.next() else { break };
            let (i, fut) = (next_in, work(&item));
            running.spawn(async move { (i, fut.await) });
            started.push_back(item);
            next_in += 1;
        }
        match running.join_next().await {
            None => return Ok(()),
            Some(joined) => {
                let (i, result) = joined.context("a worker stopped unexpectedly")?;
                finished.insert(i, result);
            }
        }
    }
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_item_does_not_hold_back_the_next_ones() {
        // Item 1 finishes only once item 3 has started: with two at once, item 3 must start
        // when item 2 finishes, while item 1 still runs. Item 4's error waits for its turn.
        let go = std::sync::Arc::new(tokio::sync::Notify::new());
        let work = |i: &u64| {
            let (i, go) = (*i, go.clone());
            async move {
                match i {
                    1 => go.notified().await,
                    3 => go.notify_one(),
                    4 => anyhow::bail!("item 4 failed"),
                    _ => {}
                }
                Ok(i)
            }
        };
        let mut seen = Vec::new();
        let run = ordered(vec![1, 2, 3, 4, 5], 2, work, |i, t| {
            seen.push((i, t));
            Ok(())
        });
        let err = tokio::time::timeout(std::time::Duration::from_secs(30), run)
            .await
            .expect("item 3 started while item 1 ran")
            .unwrap_err();
        assert_eq!(err.to_string(), "item 4 failed");
        assert_eq!(seen, vec![(1, 1), (2, 2), (3, 3)]);
    }
}

"""A sequence tagger (for example, part-of-speech tags) in plain PyTorch: word embeddings, an LSTM
over the sentence, and a linear layer giving log-probabilities of the tags at every position.
Run it directly to train it for a few steps on random sentences:
    .venv/bin/python examples/lstm_tagger.py
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class LSTMTagger(nn.Module):
    """(N, T) int64 token ids to (N, T, tagset_size) tag log-probabilities."""

    def __init__(self, vocab_size: int, tagset_size: int, embedding_dim: int = 16, hidden_dim: int = 32,
                 num_layers: int = 1, bidirectional: bool = False):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, num_layers=num_layers, batch_first=True,
                            bidirectional=bidirectional)
        directions = 2 if bidirectional else 1
        self.hidden2tag = nn.Linear(hidden_dim * directions, tagset_size)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        embedded = self.embedding(tokens)  # (N, T, embedding_dim)
        outputs, _ = self.lstm(embedded)  # (N, T, hidden_dim * directions)
        return F.log_softmax(self.hidden2tag(outputs), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab_size, tagset_size = 50, 6
    sentences = torch.randint(0, vocab_size, (16, 12))
    tags = torch.randint(0, tagset_size, (16, 12))
    model = LSTMTagger(vocab_size, tagset_size, bidirectional=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for step in range(1, 6):
        optimizer.zero_grad()
        log_probs = model(sentences)
        loss = F.nll_loss(log_probs.reshape(-1, tagset_size), tags.reshape(-1))
        loss.backward()
        optimizer.step()
        print(f"step {step}: loss {loss.item():.4f}")
    print("predicted tags:", model(sentences[:1]).argmax(dim=-1).tolist())

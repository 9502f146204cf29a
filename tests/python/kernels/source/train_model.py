"""A stand-in for the seed's source/train_model.py: parses --lr and --dropout as a real training
script does, "trains" for a few epochs in no time and prints the FoM (a validation loss, lowest
at lr = 0.01, dropout = 0.2)."""
import argparse
import math

parser = argparse.ArgumentParser(description="train a model (stand-in)")
parser.add_argument("--lr", type=float, default=0.001, help="learning rate")
parser.add_argument("--dropout", type=float, default=0.5, help="dropout rate")
parser.add_argument("--epochs", type=int, default=3, help="training epochs")
args = parser.parse_args()

loss = (math.log10(args.lr) + 2.0) ** 2 + (args.dropout - 0.2) ** 2
for epoch in range(1, args.epochs + 1):
    print("epoch %d: val_loss %.6f" % (epoch, loss + 1.0 / epoch))
print("FoM: %r" % loss)

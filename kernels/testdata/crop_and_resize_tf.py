# Writes crop_and_resize_tf.txt, the expected outputs of kernels.CropAndResize:
#   testdata/gen/.venv/bin/python kernels/testdata/crop_and_resize_tf.py > kernels/testdata/crop_and_resize_tf.txt
import numpy as np, tensorflow as tf
img = (np.arange(2*3*4*2, dtype=np.float32).reshape(2,3,4,2) * 0.37 - 4).astype(np.float32)
img[1] = np.sin(img[1])
boxes = np.array([[0,0,1,1],[0.9,-0.2,0.1,1.3],[0.25,0.3,0.25,0.7],[-0.5,0.1,0.6,0.45],[0.33,0.66,0.77,0.11]], np.float32)
ind = np.array([0,1,1,0,1], np.int32)
print("image", ",".join(repr(float(v)) for v in img.ravel()))
for m in ["bilinear","nearest"]:
  for cs in [(3,4),(1,1),(4,1)]:
    r = tf.image.crop_and_resize(img, boxes, ind, cs, method=m, extrapolation_value=-7.5).numpy()
    print(m, cs, ",".join(np.format_float_positional(v, unique=True) if False else repr(float(v)) for v in r.ravel()))
